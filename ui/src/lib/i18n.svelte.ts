// The one catalogue of UI text, shared with Rust (i18n/*.json at the top of the repository).
import en from "../../../i18n/en.json";
import de from "../../../i18n/de.json";
import nl from "../../../i18n/nl.json";
import type { Locale } from "../bindings/Locale";

export type Catalogue = Record<string, string>;

export const catalogues: Record<Locale, Catalogue> = { en, de, nl };

let current = $state<Locale>("en");

/** The language the UI speaks now (the open workbook's locale). */
export function locale(): Locale {
  return current;
}

export function setLocale(l: Locale): void {
  current = l;
  if (typeof document !== "undefined") document.documentElement.lang = l;
}

/** Fills `{name}` placeholders. */
export function fill(text: string, args?: Record<string, string | number>): string {
  if (!args) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in args ? String(args[name]) : whole,
  );
}

/** The text for `key` in the current language, falling back to English, then to the key. */
export function t(key: string, args?: Record<string, string | number>): string {
  return fill(catalogues[current][key] ?? catalogues.en[key] ?? key, args);
}

/** Short month name of a calendar month 1..12. */
export function monthShort(month: number): string {
  return t(`month.short.${month}`);
}

/** Long month name of a calendar month 1..12. */
export function monthLong(month: number): string {
  return t(`month.long.${month}`);
}
