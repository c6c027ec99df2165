/**
 * Reads the output of `COPY (SELECT <one text column>) TO STDOUT (FORMAT binary)` without turning
 * any of it into JavaScript strings: each row's value is handed on as byte ranges of the chunks it
 * arrived in (a value that spans two chunks comes in two pieces).
 *
 * The format (Postgres docs, "COPY", binary format): an 11-byte signature, a 32-bit flags field and
 * a 32-bit header-extension length followed by that many bytes; then per row a 16-bit field count
 * and, per field, a 32-bit length (-1 for NULL) and the value's bytes; a field count of -1 ends it.
 * A text value's bytes are its text in the client encoding (UTF-8 here), unescaped.
 */

const SIGNATURE = Buffer.from("PGCOPY\n\xff\r\n\0", "latin1");
const HEADER_BYTES = SIGNATURE.length + 8;

export interface ValueSink {
  /** A value of `bytes` bytes starts; its pieces follow. */
  begin(bytes: number): void;
  piece(source: Buffer, start: number, end: number): void;
  end(): void;
}

type Stage = "header" | "extension" | "row" | "length" | "value" | "done";

export class BinaryCopyReader {
  #stage: Stage = "header";
  /** Bytes of a fixed-size part (header, field count, length) that spans chunks. */
  #fixed = Buffer.alloc(HEADER_BYTES);
  #fixedUsed = 0;
  /** Bytes left of the header extension or of the current value. */
  #left = 0;
  rows = 0;

  constructor(private readonly sink: ValueSink) {}

  push(chunk: Buffer): void {
    let at = 0;
    while (at < chunk.length) {
      switch (this.#stage) {
        case "header":
        case "row":
        case "length": {
          const need = this.#stage === "header" ? HEADER_BYTES : this.#stage === "row" ? 2 : 4;
          let part: Buffer;
          let offset: number;
          if (this.#fixedUsed === 0 && chunk.length - at >= need) {
            part = chunk;
            offset = at;
            at += need;
          } else {
            const take = Math.min(need - this.#fixedUsed, chunk.length - at);
            chunk.copy(this.#fixed, this.#fixedUsed, at, at + take);
            this.#fixedUsed += take;
            at += take;
            if (this.#fixedUsed < need) return;
            part = this.#fixed;
            offset = 0;
            this.#fixedUsed = 0;
          }
          this.#fixedPart(part, offset);
          break;
        }
        case "extension": {
          const skip = Math.min(this.#left, chunk.length - at);
          at += skip;
          this.#left -= skip;
          if (this.#left === 0) this.#stage = "row";
          break;
        }
        case "value": {
          const end = Math.min(at + this.#left, chunk.length);
          this.sink.piece(chunk, at, end);
          this.#left -= end - at;
          at = end;
          if (this.#left === 0) this.#endValue();
          break;
        }
        case "done":
          throw new Error("COPY output continues after its trailer");
      }
    }
  }

  /** Throws unless the output ended with its trailer. */
  finish(): void {
    if (this.#stage !== "done") throw new Error(`COPY output ended early (inside ${this.#stage}, after ${this.rows} rows)`);
  }

  #fixedPart(part: Buffer, offset: number): void {
    if (this.#stage === "header") {
      if (!part.subarray(offset, offset + SIGNATURE.length).equals(SIGNATURE)) throw new Error("COPY output is not in binary format");
      this.#left = part.readInt32BE(offset + SIGNATURE.length + 4);
      this.#stage = this.#left > 0 ? "extension" : "row";
    } else if (this.#stage === "row") {
      const fields = part.readInt16BE(offset);
      if (fields === -1) this.#stage = "done";
      else if (fields === 1) this.#stage = "length";
      else throw new Error(`COPY row has ${fields} fields, expected 1`);
    } else {
      const bytes = part.readInt32BE(offset);
      if (bytes < 0) throw new Error("COPY row value is NULL");
      this.sink.begin(bytes);
      this.#left = bytes;
      if (bytes === 0) this.#endValue();
      else this.#stage = "value";
    }
  }

  #endValue(): void {
    this.sink.end();
    this.rows += 1;
    this.#stage = "row";
  }
}
