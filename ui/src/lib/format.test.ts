import { describe, expect, it } from "vitest";
import cases from "../../../i18n/format-cases.json";
import { formatDate, formatMoney, formatNumber, formatPercent, parseNumber } from "./format";
import type { Locale } from "../bindings/Locale";

interface Case {
  locale: Locale;
  kind: string;
  value?: number;
  decimals?: number;
  currency?: string;
  date?: string;
  expected: string;
}

describe("formatting", () => {
  it("matches every shared case the Rust formatter is checked against", () => {
    const all = (cases as { cases: Case[] }).cases;
    expect(all.length).toBeGreaterThan(200);
    for (const c of all) {
      const got =
        c.kind === "number"
          ? formatNumber(c.value!, c.decimals!, c.locale)
          : c.kind === "percent"
            ? formatPercent(c.value!, c.decimals!, c.locale)
            : c.kind === "money"
              ? formatMoney(c.value!, c.currency!, c.decimals!, c.locale)
              : formatDate(c.date!, c.locale);
      expect(got, `${c.locale} ${c.kind} ${c.value ?? c.date}`).toBe(c.expected);
    }
  });

  it("writes money as each locale's users expect", () => {
    expect(formatMoney(1234.56, "EUR", 2, "de")).toBe("1.234,56\u00a0€");
    expect(formatMoney(1234.56, "EUR", 2, "nl")).toBe("€\u00a01.234,56");
    expect(formatMoney(1234.56, "EUR", 2, "en")).toBe("€1,234.56");
  });

  it("shows a dash for a number that is not a number", () => {
    expect(formatNumber(Number.NaN, 1, "en")).toBe("–");
  });
});

describe("reading numbers typed by users", () => {
  it.each([
    ["15", "de", 15],
    ["15,5", "de", 15.5],
    ["15.5", "de", 15.5],
    ["1.234,56", "de", 1234.56],
    ["1.234", "de", 1234],
    ["1,234.56", "en", 1234.56],
    ["1,234", "en", 1234],
    ["1,5", "en", 1.5],
    ["0.125", "de", 0.125],
    ["13 %", "nl", 13],
    ["€ 1.250", "nl", 1250],
    ["-3", "en", -3],
    [" 7 ", "en", 7],
  ] as [string, Locale, number][])("%s in %s is %d", (text, locale, value) => {
    expect(parseNumber(text, locale)).toBe(value);
  });

  it.each(["", "abc", "12abc", "1-2", "--1", "."])("refuses %j", (text) => {
    expect(parseNumber(text, "en")).toBeNull();
  });
});
