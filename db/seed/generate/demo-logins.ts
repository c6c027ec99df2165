/** The logins the README and the CLI advertise; every demo user shares this password. */

export const DEMO_PASSWORD = "ledgerlight-demo";

export const DEMO_LOGINS: { email: string; role: string; note: string }[] = [
  { email: "admin@kessler.example", role: "contact admin", note: "Kessler Haustechnik GmbH (10001) + subsidiary Kessler Austria (10002); manages contacts" },
  { email: "buyer@kessler.example", role: "buyer", note: "Kessler Haustechnik GmbH (10001): orders, quotes, returns" },
  { email: "finance@kessler.example", role: "finance", note: "Kessler (10001) + Kessler Austria (10002): invoices, statements" },
  { email: "viewer@kessler.example", role: "viewer", note: "Kessler (10001), only location LNU Lager Neu-Ulm" },
  { email: "group@kessler.example", role: "buyer/finance", note: "two accounts: Kessler (10001, buyer) and Lumière Équipements SARL (10003, finance)" },
  { email: "buyer@nordhavn.example", role: "buyer", note: "Nordhavn Marine A/S (10004, DK, English), unrelated to Kessler" },
  { email: "admin@brandt-soehne.example", role: "staff admin", note: "supplier staff: everything in /admin" },
  { email: "sales@brandt-soehne.example", role: "staff sales", note: "supplier staff: accounts, contacts, sign-ups" },
  { email: "support@brandt-soehne.example", role: "staff support", note: "supplier staff: accounts, contacts, outbox" },
  { email: "finance@brandt-soehne.example", role: "staff finance", note: "supplier staff: accounts, audit trail" },
];
