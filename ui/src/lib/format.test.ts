import { describe, expect, it } from "vitest";
import cases from "../../../i18n/format-cases.json";
import { formatDate, formatMoney, formatNumber, formatPercent, parseDate, parseNumber, shiftDate } from "./format";
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

describe("reading dates typed by users", () => {
  it.each([
    ["04.11.2026", "2026-11-04"],
    ["4.11.2026", "2026-11-04"],
    ["04/11/2026", "2026-11-04"],
    ["04-11-2026", "2026-11-04"],
    [" 4-11-26 ", "2026-11-04"],
    ["2026-11-04", "2026-11-04"],
    ["29.02.2028", "2028-02-29"],
    ["31.12.1999", "1999-12-31"],
  ])("%s is %s", (text, iso) => {
    expect(parseDate(text)).toBe(iso);
  });

  it.each(["", "4.11", "29.02.2026", "31.04.2026", "00.01.2026", "01.13.2026", "2026/11/04", "4.11.2026 10:00", "heute"])(
    "%s is not a date",
    (text) => {
      expect(parseDate(text)).toBeNull();
    },
  );

  it("reads back every date it writes, in each locale", () => {
    for (const locale of ["en", "de", "nl"] as Locale[]) {
      for (const iso of ["2026-01-05", "2026-12-31", "2028-02-29"]) {
        expect(parseDate(formatDate(iso, locale)), `${locale} ${iso}`).toBe(iso);
      }
    }
  });
});

describe("stepping dates by keyboard", () => {
  it.each([
    ["2026-01-31", 1, 0, "2026-02-01"],
    ["2026-03-01", -1, 0, "2026-02-28"],
    ["2026-12-31", 1, 0, "2027-01-01"],
    ["2026-01-31", 0, 1, "2026-02-28"],
    ["2028-01-31", 0, 1, "2028-02-29"],
    ["2026-03-31", 0, -1, "2026-02-28"],
    ["2026-01-15", 0, -1, "2025-12-15"],
    ["2026-11-24", 0, 12, "2027-11-24"],
  ] as [string, number, number, string][])("%s + %d days + %d months is %s", (iso, days, months, expected) => {
    expect(shiftDate(iso, days, months)).toBe(expected);
  });
});
