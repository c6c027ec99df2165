import { randomBytes } from "node:crypto";
import mysql from "mysql2/promise";

/**
 * A small ERP-like database in the machine's MariaDB (127.0.0.1:3306, root without password):
 * customers, orders with order lines, invoices, and a control table that makes the invoice query
 * fail at a chosen invoice (a database failure in the middle of a pull). Each test run gets its own
 * database and drops it.
 */

export const MARIADB_URL = process.env.TEST_MARIADB_URL ?? "mysql://root@127.0.0.1:3306";

const SCHEMA = [
  `CREATE TABLE customers (customer_no VARCHAR(20) PRIMARY KEY, name VARCHAR(200) NOT NULL, country CHAR(2) NOT NULL,
     version INT NOT NULL, changed_at DATETIME(3) NOT NULL, KEY (changed_at))`,
  `CREATE TABLE orders (order_no VARCHAR(20) PRIMARY KEY, customer_no VARCHAR(20) NOT NULL, order_date DATE NOT NULL,
     status VARCHAR(20) NOT NULL, currency CHAR(3) NOT NULL, tax DECIMAL(14,2) NOT NULL, version INT NOT NULL,
     changed_at DATETIME(3) NOT NULL, KEY (changed_at))`,
  `CREATE TABLE order_lines (order_no VARCHAR(20) NOT NULL, line_no INT NOT NULL, sku VARCHAR(64) NOT NULL,
     description VARCHAR(200) NOT NULL, qty DECIMAL(14,3) NOT NULL, price DECIMAL(14,4) NOT NULL, net DECIMAL(14,2) NOT NULL,
     PRIMARY KEY (order_no, line_no))`,
  `CREATE TABLE invoices (invoice_no VARCHAR(20) PRIMARY KEY, order_no VARCHAR(20) NOT NULL, customer_no VARCHAR(20) NOT NULL,
     issue_date DATE NOT NULL, due_date DATE NOT NULL, version INT NOT NULL, changed_at DATETIME(3) NOT NULL, KEY (changed_at))`,
  `CREATE TABLE pull_control (fail_at VARCHAR(20) NOT NULL)`,
  `CREATE FUNCTION check_row(no VARCHAR(20)) RETURNS VARCHAR(20) NOT DETERMINISTIC READS SQL DATA
   BEGIN
     IF EXISTS (SELECT 1 FROM pull_control WHERE fail_at = no) THEN
       SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'simulated ERP database failure';
     END IF;
     RETURN no;
   END`,
];

/** The pull queries, in our field names, with a watermark column and `>= :since` (boundary rows re-read as unchanged). */
export const PULL_QUERIES = {
  accounts: `SELECT c.customer_no AS erpId, c.version AS erpVersion, c.customer_no AS number, c.name, c.country AS countryCode,
                    'de' AS language, c.changed_at AS watermark
               FROM customers c WHERE :since IS NULL OR c.changed_at >= :since ORDER BY c.changed_at, c.customer_no`,
  "sales-orders": `SELECT o.order_no AS erpId, o.version AS erpVersion, o.customer_no AS accountErpId, o.order_no AS number, o.status,
                    o.order_date AS orderDate, o.currency, o.tax AS taxAmount,
                    l.line_no AS \`lines.lineNo\`, CONCAT(l.order_no, '/', l.line_no) AS \`lines.erpId\`, l.sku AS \`lines.sku\`,
                    l.description AS \`lines.description\`, l.qty AS \`lines.quantityOrdered\`, l.price AS \`lines.unitPrice\`,
                    19 AS \`lines.vatRate\`, l.net AS \`lines.netAmount\`, o.changed_at AS watermark
               FROM orders o JOIN order_lines l ON l.order_no = o.order_no
              WHERE :since IS NULL OR o.changed_at >= :since ORDER BY o.changed_at, o.order_no, l.line_no`,
  // check_row() sits outside the sorted derived table, so it runs as rows stream out: a failure at
  // a chosen invoice arrives after the rows before it, like a database dying in the middle of a pull.
  invoices: `SELECT check_row(x.erpId) AS erpId, x.erpVersion, x.accountErpId, x.salesOrderErpId, x.number, x.issueDate, x.dueDate,
                    x.currency, x.\`lines.lineNo\`, x.\`lines.salesOrderLineErpId\`, x.\`lines.sku\`, x.\`lines.description\`,
                    x.\`lines.quantity\`, x.\`lines.unitPrice\`, x.\`lines.vatCategory\`, x.\`lines.vatRate\`, x.watermark
               FROM (SELECT i.invoice_no AS erpId, i.version AS erpVersion, i.customer_no AS accountErpId, i.order_no AS salesOrderErpId,
                            i.invoice_no AS number, i.issue_date AS issueDate, i.due_date AS dueDate, o.currency,
                            l.line_no AS \`lines.lineNo\`, CONCAT(l.order_no, '/', l.line_no) AS \`lines.salesOrderLineErpId\`,
                            l.sku AS \`lines.sku\`, l.description AS \`lines.description\`, l.qty AS \`lines.quantity\`,
                            l.price AS \`lines.unitPrice\`, 'S' AS \`lines.vatCategory\`, 19 AS \`lines.vatRate\`, i.changed_at AS watermark
                       FROM invoices i JOIN orders o ON o.order_no = i.order_no JOIN order_lines l ON l.order_no = i.order_no
                      WHERE :since IS NULL OR i.changed_at >= :since
                      ORDER BY i.changed_at, i.invoice_no, l.line_no LIMIT 1000000000) x`,
};

export interface ErpFixture {
  database: string;
  url: string;
  connection: mysql.Connection;
  addCustomer(no: string, name: string, at: string, version?: number): Promise<void>;
  addOrder(no: string, customer: string, at: string, lines: number, options?: { version?: number; status?: string }): Promise<void>;
  addInvoice(no: string, order: string, customer: string, at: string, version?: number): Promise<void>;
  drop(): Promise<void>;
}

export async function createErpFixture(): Promise<ErpFixture> {
  const database = `ll_erp_${randomBytes(4).toString("hex")}`;
  const admin = await mysql.createConnection(MARIADB_URL).catch((error: Error) => {
    throw new Error(`Cannot reach MariaDB at ${MARIADB_URL}: ${error.message}. Start it (service mariadb start) or set TEST_MARIADB_URL.`);
  });
  await admin.query(`CREATE DATABASE ${database}`);
  await admin.end();
  const url = `${MARIADB_URL}/${database}`;
  const connection = await mysql.createConnection(url);
  for (const statement of SCHEMA) await connection.query(statement);
  return {
    database,
    url,
    connection,
    async addCustomer(no, name, at, version = 1) {
      await connection.query(`REPLACE INTO customers VALUES (?, ?, 'DE', ?, ?)`, [no, name, version, at]);
    },
    async addOrder(no, customer, at, lines, options = {}) {
      let net = 0;
      await connection.query(`DELETE FROM order_lines WHERE order_no = ?`, [no]);
      for (let i = 1; i <= lines; i++) {
        const lineNet = i * 10 * 25.5;
        net += lineNet;
        // Long descriptions: MariaDB sends rows in 16 KB packets, so a failure mid-pull comes after rows already sent.
        const description = `Artikel ${i} für ${no}: Kreiselpumpe aus Edelstahl 1.4408 mit Gleitringdichtung, Motor IE3, geprüft nach DIN EN ISO 9906 Klasse 2B`;
        await connection.query(`INSERT INTO order_lines VALUES (?, ?, ?, ?, ?, ?, ?)`, [no, i, `SKU-${i}`, description, i * 10, 25.5, lineNet.toFixed(2)]);
      }
      await connection.query(`REPLACE INTO orders VALUES (?, ?, '2026-03-01', ?, 'EUR', ?, ?, ?)`, [
        no, customer, options.status ?? "confirmed", (Math.round(net * 19) / 100).toFixed(2), options.version ?? 1, at,
      ]);
    },
    async addInvoice(no, order, customer, at, version = 1) {
      await connection.query(`REPLACE INTO invoices VALUES (?, ?, ?, '2026-03-05', '2026-04-04', ?, ?)`, [no, order, customer, version, at]);
    },
    async drop() {
      await connection.end();
      const again = await mysql.createConnection(MARIADB_URL);
      await again.query(`DROP DATABASE IF EXISTS ${database}`);
      await again.end();
    },
  };
}
