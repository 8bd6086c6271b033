// Pure helpers of the Reports screen: the options a report is made with, their parts in the
// report's order, names chosen from a list where an empty list means all, and the export's
// progress.
import type { ReportOptions } from "../bindings/ReportOptions";
import type { ReportSection } from "../bindings/ReportSection";
import type { ReportFormat } from "../bindings/ReportFormat";
import type { ReportPeriod } from "../bindings/ReportPeriod";
import type { ExportProgress } from "../bindings/ExportProgress";

/** Every part of the report, in the order the report shows them. */
export const SECTIONS: ReportSection[] = [
  "summary",
  "charts",
  "sources",
  "monthly_detail",
  "data_quality",
  "action_items",
  "definitions",
];

export const FORMATS: ReportFormat[] = ["pdf", "xlsx", "csv", "svg", "png"];

/** The options of a new report: everything, the whole year, the version chosen in the header. */
export function defaultOptions(version: string | null): ReportOptions {
  return {
    sections: [...SECTIONS],
    period: { kind: "whole_year" },
    version,
    sources: [],
    product_lines: [],
    format: "pdf",
    paper: "a4",
  };
}

/** Adds or removes a part, keeping the report's order and at least one part. */
export function toggleSection(sections: ReportSection[], section: ReportSection): ReportSection[] {
  const next = sections.includes(section) ? sections.filter((s) => s !== section) : [...sections, section];
  if (next.length === 0) return sections;
  return SECTIONS.filter((s) => next.includes(s));
}

/**
 * Checks or unchecks `name` among `all`, where an empty list means all; returns `[]` when every
 * name is checked. The last checked name cannot be unchecked.
 */
export function toggleName(selected: string[], name: string, all: string[]): string[] {
  const base = selected.length === 0 ? all : selected;
  const next = base.includes(name) ? base.filter((x) => x !== name) : [...base, name];
  if (next.length === 0) return selected;
  return all.every((x) => next.includes(x)) ? [] : all.filter((x) => next.includes(x));
}

/** The period with its months kept within 1..=12 and in order. */
export function normalisedPeriod(p: ReportPeriod): ReportPeriod {
  if (p.kind !== "months") return p;
  const clamp = (m: number) => (Number.isFinite(m) ? Math.min(12, Math.max(1, Math.trunc(m))) : 1);
  const a = clamp(p.from);
  const b = clamp(p.to);
  return { kind: "months", from: Math.min(a, b), to: Math.max(a, b) };
}

/** Whether a format writes one file per table or chart. */
export function isSeveralFiles(format: ReportFormat): boolean {
  return format === "csv" || format === "svg" || format === "png";
}

/** The share of the export done, 0..=1. */
export function progressShare(p: ExportProgress | null): number {
  if (!p || p.total <= 0) return 0;
  return Math.min(1, Math.max(0, p.done / p.total));
}

/** A stable key of the options and year, to reload the preview only when they change. */
export function previewKey(year: number, o: ReportOptions): string {
  return JSON.stringify([year, o.sections, normalisedPeriod(o.period), o.version, o.sources, o.product_lines, o.paper]);
}
