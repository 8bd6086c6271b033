// Numbers, money, percentages and dates in the workbook's locale, with the ECMA-402 Intl API.
// The Rust formatter (leadplan-core::format) writes the same text; both are checked against
// i18n/format-cases.json.
import type { Locale } from "../bindings/Locale";

const TAGS: Record<Locale, string> = { en: "en-GB", de: "de-DE", nl: "nl-NL" };

const cache = new Map<string, Intl.NumberFormat>();

function numberFormat(locale: Locale, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = locale + JSON.stringify(options);
  let f = cache.get(key);
  if (!f) {
    f = new Intl.NumberFormat(TAGS[locale], { signDisplay: "negative", ...options });
    cache.set(key, f);
  }
  return f;
}

function notFinite(value: number): string | null {
  if (Number.isNaN(value)) return "–";
  if (!Number.isFinite(value)) return value > 0 ? "∞" : "-∞";
  return null;
}

export function formatNumber(value: number, decimals: number, locale: Locale): string {
  return (
    notFinite(value) ??
    numberFormat(locale, { minimumFractionDigits: decimals, maximumFractionDigits: decimals }).format(value)
  );
}

export function formatPercent(fraction: number, decimals: number, locale: Locale): string {
  return (
    notFinite(fraction) ??
    numberFormat(locale, {
      style: "percent",
      minimumFractionDigits: decimals,
      maximumFractionDigits: decimals,
    }).format(fraction)
  );
}

export function formatMoney(units: number, currency: string, decimals: number, locale: Locale): string {
  return (
    notFinite(units) ??
    numberFormat(locale, {
      style: "currency",
      currency,
      minimumFractionDigits: decimals,
      maximumFractionDigits: decimals,
    }).format(units)
  );
}

/** An ISO date (YYYY-MM-DD) in the locale: de 04.11.2026, nl 04-11-2026, en 04/11/2026. */
export function formatDate(iso: string, locale: Locale): string {
  const [y, m, d] = iso.split("-").map(Number);
  return new Intl.DateTimeFormat(TAGS[locale], {
    day: "2-digit",
    month: "2-digit",
    year: "numeric",
    timeZone: "UTC",
  }).format(new Date(Date.UTC(y, m - 1, d)));
}

/**
 * Reads a number typed by a user in either notation: "1.234,5" and "1,234.5" and "15 %"
 * all work; a lone separator is read as the locale's decimal separator. Returns null when
 * the text is not a number.
 */
export function parseNumber(text: string, locale: Locale): number | null {
  let s = text.trim().replace(/[\s\u00a0%€$£]/g, "");
  if (s === "") return null;
  const group = locale === "en" ? "," : ".";
  const hasDot = s.includes(".");
  const hasComma = s.includes(",");
  if (hasDot && hasComma) {
    // the later one is the decimal separator
    const dec = s.lastIndexOf(",") > s.lastIndexOf(".") ? "," : ".";
    const grp = dec === "," ? "." : ",";
    s = s.split(grp).join("").replace(dec, ".");
  } else if (hasDot || hasComma) {
    const sep = hasDot ? "." : ",";
    const parts = s.split(sep);
    // "1.234" in German is a thousand; "0.125" and "15.5" are decimals whatever the locale
    const isGroup =
      parts.length > 2 || (sep === group && parts[1].length === 3 && !/^[+-]?0?$/.test(parts[0]));
    s = isGroup ? parts.join("") : parts.join(".");
  }
  if (!/^[+-]?(\d+\.?\d*|\.\d+)$/.test(s)) return null;
  const n = Number(s);
  return Number.isFinite(n) ? n : null;
}
