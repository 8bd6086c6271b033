// Pure helpers of the Dashboard: the filter, the month names of the plan year, the hover data
// of a chart's data point, and the display of figures that may be undefined.
import type { Filter } from "../bindings/Filter";
import type { LeadQualityFeedback } from "../bindings/LeadQualityFeedback";
import type { Locale } from "../bindings/Locale";
import type { YearMonth } from "../bindings/YearMonth";
import { formatMoney, formatNumber, formatPercent } from "./format";

/** What the filter bar holds. Empty lists select everything, as in `Filter`. */
export interface Selection {
  sources: number[];
  productLines: number[];
  /** Plan month indices 0..=11, inclusive. */
  firstMonth: number;
  lastMonth: number;
}

export const EVERYTHING: Selection = { sources: [], productLines: [], firstMonth: 0, lastMonth: 11 };

function clampMonth(m: number): number {
  return Number.isFinite(m) ? Math.min(11, Math.max(0, Math.trunc(m))) : 0;
}

/** The filter `get_dashboard` takes: ids sorted, months clamped and in order. */
export function buildFilter(s: Selection): Filter {
  const a = clampMonth(s.firstMonth);
  const b = clampMonth(s.lastMonth);
  const ids = (list: number[]) => [...new Set(list)].sort((x, y) => x - y);
  return {
    sources: ids(s.sources),
    product_lines: ids(s.productLines),
    first_month: Math.min(a, b),
    last_month: Math.max(a, b),
  };
}

/** Whether `id` is checked in a multi-select whose empty list means "all". */
export function isChecked(selected: number[], id: number): boolean {
  return selected.length === 0 || selected.includes(id);
}

/**
 * Checks or unchecks `id` among `all`; returns the new selection, `[]` when every one is
 * checked. The last checked one cannot be unchecked (nothing selected would mean everything).
 */
export function toggleId(selected: number[], id: number, all: number[]): number[] {
  const base = selected.length === 0 ? all : selected;
  const next = base.includes(id) ? base.filter((x) => x !== id) : [...base, id];
  if (next.length === 0) return selected;
  return all.every((x) => next.includes(x)) ? [] : all.filter((x) => next.includes(x));
}

/** The size a chart is drawn at in the grid: text reads at the size of the UI's own. */
export const CARD_CHART = { width: 520, height: 380 };

/** The size a chart is drawn at when enlarged or saved. */
export const LARGE_CHART = { width: 1200, height: 675 };

/** Calendar month 1..=12 of plan month `index` in a year starting in `startMonth`. */
export function calendarMonth(index: number, startMonth: number): number {
  return ((startMonth - 1 + index) % 12 + 12) % 12 + 1;
}

/** One data point of a chart, as its invisible hit element carries it. */
export interface Hover {
  group: string;
  series: string;
  label: string;
  /** Formatted by the renderer in the workbook's locale, with its unit. */
  value: string;
  /** The whole text of the hit's `<title>`. */
  title: string;
}

/** The data point under `target` (the hit element or a child of it), or null. */
export function readHover(target: Element | null): Hover | null {
  const hit = target?.closest(".hit");
  if (!hit) return null;
  const title = hit.querySelector("title")?.textContent ?? "";
  const value = hit.getAttribute("data-value") ?? "";
  if (!value && !title) return null;
  return {
    group: hit.getAttribute("data-group") ?? "",
    series: hit.getAttribute("data-series") ?? "",
    label: hit.getAttribute("data-label") ?? "",
    value,
    title,
  };
}

/** Where a tooltip of size `w`×`h` goes for a pointer at (`x`, `y`) in a `vw`×`vh` window. */
export function tooltipPosition(
  x: number,
  y: number,
  w: number,
  h: number,
  vw: number,
  vh: number,
): { left: number; top: number } {
  const gap = 14;
  const left = x + gap + w <= vw ? x + gap : Math.max(0, x - gap - w);
  const top = y + gap + h <= vh ? y + gap : Math.max(0, y - gap - h);
  return { left, top };
}

const ENTITIES: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" };

/** The text of the chart's own `<title>`: the first one in the document. */
export function chartTitle(svg: string): string {
  const m = /<title>([^<]*)<\/title>/.exec(svg);
  if (!m) return "";
  return m[1].replace(/&(lt|gt|amp|quot|apos);/g, (_, name: string) => ENTITIES[name]);
}

/** Average rating and number of ratings of one source. */
export interface Rating {
  average: number;
  count: number;
}

/** Sales' average rating per source over the given calendar months. */
export function averageRatings(feedback: LeadQualityFeedback[], months: YearMonth[]): Map<number, Rating> {
  const wanted = new Set(months.map((m) => m.year * 100 + m.month));
  const sums = new Map<number, { sum: number; count: number }>();
  for (const f of feedback) {
    if (!wanted.has(f.year * 100 + f.month)) continue;
    const s = sums.get(f.source_id) ?? { sum: 0, count: 0 };
    s.sum += f.rating;
    s.count += 1;
    sums.set(f.source_id, s);
  }
  return new Map([...sums].map(([id, s]) => [id, { average: s.sum / s.count, count: s.count }]));
}

/** What an undefined figure (`null`) shows. */
const DASH = "–";

/** A count or quantity in the locale. */
export function num(value: number | null, decimals: number, locale: Locale): string {
  return value === null ? DASH : formatNumber(value, decimals, locale);
}

/** A fraction as a percentage in the locale. */
export function pct(fraction: number | null, decimals: number, locale: Locale): string {
  return fraction === null ? DASH : formatPercent(fraction, decimals, locale);
}

/** Money given in integer cents. */
export function money(cents: number | null, currency: string, decimals: number, locale: Locale): string {
  return cents === null ? DASH : formatMoney(cents / 100, currency, decimals, locale);
}
