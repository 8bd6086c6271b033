// Pure helpers of the Actuals screen: import options and mappings, findings grouped for the
// report, values to map, and the months × sources tables of lead counts and spend.
import type { ColumnMapping } from "../bindings/ColumnMapping";
import type { Finding } from "../bindings/Finding";
import type { FindingKind } from "../bindings/FindingKind";
import type { ImportOptions } from "../bindings/ImportOptions";
import type { ImportReport } from "../bindings/ImportReport";
import type { LeadCount } from "../bindings/LeadCount";
import type { Locale } from "../bindings/Locale";
import type { PreviewRow } from "../bindings/PreviewRow";
import type { Severity } from "../bindings/Severity";
import type { Spend } from "../bindings/Spend";
import type { Stage } from "../bindings/Stage";
import type { TargetField } from "../bindings/TargetField";
import type { UnknownValue } from "../bindings/UnknownValue";
import type { ValueMapping } from "../bindings/ValueMapping";
import { formatDate, formatNumber } from "./format";
import { parseBlock, placeBlock } from "./grid";

/** Every field a column can fill, in the order the mapping table lists them. */
export const TARGET_FIELDS: TargetField[] = [
  "external_id",
  "created_at",
  "source",
  "product_line",
  "stage",
  "status",
  "first_attempt_at",
  "first_two_way_at",
  "attempts",
  "appointment_at",
  "won_at",
  "closed_at",
  "value",
  "lost_reason",
  "owner",
];

/** The fields without which no row can be read. */
export const REQUIRED_FIELDS: TargetField[] = ["external_id", "created_at"];

export const STAGES: Stage[] = ["new", "contacted", "appointment", "offer", "won", "lost"];

/** Options for a file read as detected: no mapping, no forced conventions. */
export function defaultOptions(): ImportOptions {
  return {
    encoding: null,
    delimiter: null,
    decimal: null,
    date_order: null,
    local_time: { kind: "utc" },
    sheet: null,
    mapping: null,
    values: { stages: {}, sources: {}, product_lines: {} },
    known_sources: [],
    known_product_lines: [],
    sla_min_attempts: 0,
  };
}

/** A header as mappings match it: ignoring case and surrounding or repeated spaces. */
export function headerKey(header: string): string {
  return header.trim().replace(/\s+/g, " ").toLowerCase();
}

/** The header a mapping reads `field` from, as written in the file; empty when none. */
export function mappedHeader(mapping: ColumnMapping | null, headers: string[], field: TargetField): string {
  const wanted = mapping?.columns[field];
  if (!wanted) return "";
  return headers.find((h) => headerKey(h) === headerKey(wanted)) ?? wanted;
}

/** The required fields a mapping leaves without a column. */
export function missingRequired(mapping: ColumnMapping | null): TargetField[] {
  return REQUIRED_FIELDS.filter((f) => !mapping?.columns[f]);
}

/** `mapping` with `field` read from `header`, or from no column when `header` is empty. */
export function withColumn(
  mapping: ColumnMapping | null,
  signature: string,
  field: TargetField,
  header: string,
): ColumnMapping {
  const columns = { ...(mapping?.columns ?? {}) };
  if (header === "") delete columns[field];
  else columns[field] = header;
  return { signature, columns };
}

/** Where a value of a field is mapped: stage words, source names or product-line names. */
export type ValueKind = keyof ValueMapping;

export function valueKind(field: TargetField): ValueKind | null {
  if (field === "stage" || field === "status") return "stages";
  if (field === "source") return "sources";
  if (field === "product_line") return "product_lines";
  return null;
}

/** `values` with `raw` mapped to `target`, or unmapped when `target` is empty. */
export function withValue(values: ValueMapping, kind: ValueKind, raw: string, target: string): ValueMapping {
  const next: ValueMapping = {
    stages: { ...values.stages },
    sources: { ...values.sources },
    product_lines: { ...values.product_lines },
  };
  const map = next[kind] as Record<string, string>;
  if (target === "") delete map[raw];
  else map[raw] = target;
  return next;
}

/** A value the user can map, with how often it occurs and where first. */
export interface ValueToMap {
  kind: ValueKind;
  value: string;
  count: number;
  lines: number[];
}

const UNKNOWN_KINDS: Partial<Record<FindingKind, ValueKind>> = {
  unknown_stage: "stages",
  unknown_source: "sources",
  unknown_product_line: "product_lines",
};

/**
 * The values to map: from a check's report when there is one (it covers the whole file),
 * else from the findings of the preview's rows; stages first, then sources and product
 * lines, each most frequent first. Values already mapped in `values` stay listed so the
 * choice can be changed.
 */
export function valuesToMap(
  report: ImportReport | null,
  rows: PreviewRow[],
  values: ValueMapping,
): ValueToMap[] {
  const found = new Map<string, ValueToMap>();
  const add = (kind: ValueKind, value: string, count: number, lines: number[]) => {
    const key = `${kind}\u001f${value}`;
    const known = found.get(key);
    if (known) {
      known.count += count;
      known.lines = [...known.lines, ...lines].slice(0, 5);
    } else {
      found.set(key, { kind, value, count, lines: lines.slice(0, 5) });
    }
  };
  if (report) {
    for (const u of report.unknown_values as UnknownValue[]) {
      const kind = valueKind(u.field);
      if (kind) add(kind, u.value, u.count, u.first_lines);
    }
  } else {
    for (const row of rows) {
      for (const f of row.findings) {
        const kind = UNKNOWN_KINDS[f.kind];
        if (kind && f.value !== null) add(kind, f.value, 1, [f.line]);
      }
    }
  }
  for (const kind of ["stages", "sources", "product_lines"] as ValueKind[]) {
    for (const raw of Object.keys(values[kind])) {
      if (![...found.values()].some((v) => v.kind === kind && v.value === raw)) add(kind, raw, 0, []);
    }
  }
  // stages first (an unknown stage rejects the row), then sources and product lines
  const rank: Record<ValueKind, number> = { stages: 0, sources: 1, product_lines: 2 };
  return [...found.values()].sort(
    (a, b) => rank[a.kind] - rank[b.kind] || b.count - a.count || a.value.localeCompare(b.value),
  );
}

/** The findings of one kind: how many there were and the rows kept on record. */
export interface FindingGroup {
  kind: FindingKind;
  severity: Severity;
  count: number;
  findings: Finding[];
}

/**
 * The report's findings by kind, errors first, the most frequent kind first. `count` is
 * the full count (`finding_counts`), which may exceed the rows a stored report keeps.
 */
export function findingGroups(report: ImportReport): FindingGroup[] {
  const groups = new Map<FindingKind, FindingGroup>();
  for (const f of report.findings) {
    let g = groups.get(f.kind);
    if (!g) {
      g = { kind: f.kind, severity: f.severity, count: 0, findings: [] };
      groups.set(f.kind, g);
    }
    g.findings.push(f);
  }
  for (const g of groups.values()) g.count = report.finding_counts[g.kind] ?? g.findings.length;
  const rank = (s: Severity) => (s === "error" ? 0 : 1);
  return [...groups.values()].sort((a, b) => rank(a.severity) - rank(b.severity) || b.count - a.count);
}

/** What the user may do after a check: import everything, only the valid rows, or nothing. */
export type Decision = "all" | "valid_only" | "nothing";

export function decisions(report: ImportReport): Decision[] {
  const { valid, rejected } = report.counts;
  if (valid === 0) return ["nothing"];
  return rejected === 0 ? ["all"] : ["valid_only", "nothing"];
}

/** A source as the tables name it. */
export interface NamedSource {
  id: number;
  name: string;
}

/** One row of a sources × months table: twelve calendar months and the total. */
export interface MonthRow {
  /** `null` for leads without a source. */
  sourceId: number | null;
  /** `null` when the workbook's sources do not name it (or it has none). */
  name: string | null;
  months: number[];
  total: number;
}

export interface MonthTable {
  rows: MonthRow[];
  totals: number[];
  total: number;
}

/**
 * Values per source and calendar month (1..12) as a table: every named source in its
 * order, then sources that only occur in the values, then the leads without source; with
 * the total of each row and of each month.
 */
export function monthTable(
  values: { sourceId: number | null; month: number; value: number }[],
  sources: NamedSource[],
): MonthTable {
  const byId = new Map<number | null, MonthRow>();
  const row = (id: number | null): MonthRow => {
    let r = byId.get(id);
    if (!r) {
      const name = id === null ? null : (sources.find((s) => s.id === id)?.name ?? null);
      r = { sourceId: id, name, months: Array(12).fill(0), total: 0 };
      byId.set(id, r);
    }
    return r;
  };
  for (const s of sources) row(s.id);
  const totals: number[] = Array(12).fill(0);
  for (const v of values) {
    if (v.month < 1 || v.month > 12) continue;
    const r = row(v.sourceId);
    r.months[v.month - 1] += v.value;
    r.total += v.value;
    totals[v.month - 1] += v.value;
  }
  const rows = [...byId.values()];
  const order = (r: MonthRow) => (r.sourceId === null ? 2 : r.name === null ? 1 : 0);
  rows.sort((a, b) => order(a) - order(b));
  return { rows, totals, total: totals.reduce((a, b) => a + b, 0) };
}

/** Leads (or won leads) per source and month. */
export function countTable(counts: LeadCount[], sources: NamedSource[], won = false): MonthTable {
  return monthTable(
    counts.map((c) => ({ sourceId: c.source_id, month: c.month, value: won ? c.won : c.leads })),
    sources,
  );
}

/** The key of a source and calendar month in [`countChanges`]. */
export function cellKey(sourceId: number | null, month: number): string {
  return `${sourceId ?? "none"}-${month}`;
}

/** How the leads per source and month changed from `before` to `after` (only changes). */
export function countChanges(before: LeadCount[], after: LeadCount[]): Map<string, number> {
  const delta = new Map<string, number>();
  for (const c of before) delta.set(cellKey(c.source_id, c.month), -c.leads);
  for (const c of after) {
    const k = cellKey(c.source_id, c.month);
    delta.set(k, (delta.get(k) ?? 0) + c.leads);
  }
  for (const [k, v] of delta) if (v === 0) delta.delete(k);
  return delta;
}

/** Spend in cents per source and month; every named source has a row. */
export function spendTable(spend: Spend[], sources: NamedSource[]): MonthTable {
  return monthTable(
    spend.map((s) => ({ sourceId: s.source_id, month: s.month, value: s.amount })),
    sources,
  );
}

/** What a typed spend cell means: an amount in cents, or why it is refused. */
export type SpendEntry = { cents: number } | { error: "not_a_number" | "negative" };

/** A typed amount in currency units (already read as a number, `undefined` when not one). */
export function spendEntry(units: number | null | undefined): SpendEntry {
  if (units === undefined) return { error: "not_a_number" };
  if (units === null) return { cents: 0 };
  if (units < 0) return { error: "negative" };
  return { cents: Math.round(units * 100) };
}

/** A spend figure changed, from `before` to `after` (cents). */
export interface SpendChange {
  source: number;
  month: number;
  before: number;
  after: number;
}

/** A pasted cell refused: its row and column in the block (1-based), and why. */
export interface PasteRefused {
  reason: "not_a_number" | "negative";
  row: number;
  column: number;
  text: string;
}

/**
 * What a block copied from a spreadsheet changes when pasted into the spend table at row
 * `row` (of `rows`, one per source) and calendar month `month`: it fills the table right and
 * down, clipped at its edges; an empty cell means nothing spent. Cells whose figure stays
 * the same are left out. Refused as a whole, naming the first cell, when a cell is not an
 * amount or is negative.
 */
export function pasteSpend(
  text: string,
  locale: Locale,
  row: number,
  month: number,
  rows: { sourceId: number | null; months: number[] }[],
): { changes: SpendChange[] } | { refused: PasteRefused } {
  const read = parseBlock(text, locale);
  if ("bad" in read) return { refused: { reason: "not_a_number", row: read.bad.row + 1, column: read.bad.col + 1, text: read.bad.text } };
  for (const [r, values] of read.block.entries()) {
    const c = values.findIndex((v) => v !== null && v < 0);
    if (c >= 0) return { refused: { reason: "negative", row: r + 1, column: c + 1, text: String(values[c]) } };
  }
  const changes: SpendChange[] = [];
  for (const { pos, value } of placeBlock({ row, col: month - 1 }, read.block, rows.length, 12)) {
    const source = rows[pos.row].sourceId;
    if (source === null) continue;
    const before = rows[pos.row].months[pos.col];
    const after = value === null ? 0 : Math.round(value * 100);
    if (after !== before) changes.push({ source, month: pos.col + 1, before, after });
  }
  return { changes };
}

/** A file size in the locale: 512 B, 3.9 MB. */
export function fileSize(bytes: number, locale: Locale): string {
  const units = ["B", "KB", "MB", "GB"];
  let value = bytes;
  let i = 0;
  while (value >= 1000 && i < units.length - 1) {
    value /= 1000;
    i += 1;
  }
  return `${formatNumber(value, i === 0 || value >= 100 ? 0 : 1, locale)} ${units[i]}`;
}

/** A UTC timestamp as stored (`2026-03-05T14:30:00Z`) as the wall-clock time it records. */
export function formatStamp(iso: string, locale: Locale): string {
  const date = formatDate(iso.slice(0, 10), locale);
  const time = iso.slice(11, 16);
  return time === "" || time === "00:00" ? date : `${date} ${time}`;
}

/** A moment (an import's time) in the computer's time zone. */
export function formatMoment(iso: string, locale: Locale): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const pad = (n: number) => String(n).padStart(2, "0");
  const day = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
  return `${formatDate(day, locale)} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** How far a read has come, 0..1. */
export function fraction(done: number, total: number): number {
  if (total <= 0) return 0;
  return Math.min(1, Math.max(0, done / total));
}
