import { describe, expect, it } from "vitest";
import { extendLine, scaled } from "./cents";
import { decimal, money, toFixedScale } from "./fields";

/** The BigInt parser scaled() used before its fast path (decision 022, addendum 2): the reference. */
function scaledByBigInt(value: string, scale: number): bigint {
  const negative = value.startsWith("-");
  const [whole, fraction = ""] = (negative ? value.slice(1) : value).split(".");
  const digits = BigInt(whole + fraction.padEnd(scale, "0").slice(0, scale));
  return negative ? -digits : digits;
}

describe("decimal text", () => {
  it("canonicalises to the column's scale without floating point", () => {
    expect(toFixedScale("1234.5", 2)).toBe("1234.50");
    expect(toFixedScale("007", 2)).toBe("7.00");
    expect(toFixedScale("0", 3)).toBe("0.000");
    expect(toFixedScale("-0.0", 2)).toBe("0.00");
    expect(toFixedScale("-000.5", 2)).toBe("-0.50");
    expect(toFixedScale("12.3456", 4)).toBe("12.3456");
    expect(toFixedScale("999999999999.99", 2)).toBe("999999999999.99");
  });

  it("reads the same units as BigInt's parser, in and beyond the double-exact range", () => {
    const values = ["0", "-0", "1.5", "-1.5", "101.5000", "0000123.4", "1.23456", "999999999999.99", "12345678901234.5", "9007199254740993", "1.2.3", ""];
    for (let i = 0; i < 5000; i++) {
      const whole = String(Math.floor(Math.random() * 10 ** (1 + (i % 16))));
      const fraction = String(Math.floor(Math.random() * 100000)).slice(0, i % 6);
      values.push(`${i % 3 === 0 ? "-" : ""}${whole}${fraction ? `.${fraction}` : ""}`);
    }
    for (const value of values) for (const scale of [0, 2, 3, 4]) expect(scaled(value, scale), `${value} @${scale}`).toBe(scaledByBigInt(value, scale));
    expect(() => scaled("abc", 2)).toThrow(SyntaxError);
    expect(extendLine("3.000", "101.5000", "1.000")).toBe(30450n);
  });

  it("takes text and JSON numbers alike, and names the rule a value breaks", () => {
    const amount = money({ min: 0 });
    expect(amount.parse(" 12.5 ")).toBe("12.50");
    expect(amount.parse(12.5)).toBe("12.50");
    expect(amount.parse("0")).toBe("0.00");
    const reason = "must be a number with at most 12 digits before and 2 after the decimal point, like 1234.56";
    expect(amount.safeParse("12.345").error?.issues[0].message).toBe(reason);
    expect(amount.safeParse(12.345).error?.issues[0].message).toBe(reason);
    expect(amount.safeParse(1e21).error?.issues[0].message).toBe(reason);
    expect(amount.safeParse(true).error?.issues[0].message).toBe(reason);
    expect(amount.safeParse(undefined).error?.issues[0].message).toBe("is required");
    expect(amount.safeParse("-1").error?.issues[0].message).toBe("must be at least 0");
    expect(decimal(2, 3, { max: 100 }).safeParse("100.01").error?.issues[0].message).toBe("must be at most 100");
  });
});
