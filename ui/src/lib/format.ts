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

function isoOf(y: number, m: number, d: number): string {
  const pad = (n: number, w = 2) => String(n).padStart(w, "0");
  return `${pad(y, 4)}-${pad(m)}-${pad(d)}`;
}

function daysInMonth(y: number, m: number): number {
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

/**
 * Reads a date typed by a user: day, month, year in that order (as all three locales write
 * them) with `.`, `/` or `-` between, or ISO (2026-11-04). A two-digit year is this century's.
 * Returns the ISO date, or null when the text is not a date of the calendar (31.02.2026).
 */
export function parseDate(text: string): string | null {
  const s = text.trim();
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(s);
  const dmy = /^(\d{1,2})[./-](\d{1,2})[./-](\d{4}|\d{2})$/.exec(s);
  if (!iso && !dmy) return null;
  const [y, m, d] = iso
    ? [Number(iso[1]), Number(iso[2]), Number(iso[3])]
    : [Number(dmy![3]) + (dmy![3].length === 2 ? 2000 : 0), Number(dmy![2]), Number(dmy![1])];
  if (y < 1000 || m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m)) return null;
  return isoOf(y, m, d);
}

/**
 * An ISO date moved by whole days and months; a month step keeps the day where the month has
 * it and otherwise takes the month's last day (31 Jan + 1 month = 28 or 29 Feb).
 */
export function shiftDate(iso: string, days: number, months = 0): string {
  const [y, m, d] = iso.split("-").map(Number);
  const first = new Date(Date.UTC(y, m - 1 + months, 1));
  const [ny, nm] = [first.getUTCFullYear(), first.getUTCMonth() + 1];
  const at = new Date(Date.UTC(ny, nm - 1, Math.min(d, daysInMonth(ny, nm)) + days));
  return isoOf(at.getUTCFullYear(), at.getUTCMonth() + 1, at.getUTCDate());
}
