import { describe, expect, it } from "vitest";
import {
  defaultOptions,
  isSeveralFiles,
  normalisedPeriod,
  previewKey,
  progressShare,
  SECTIONS,
  toggleName,
  toggleSection,
} from "./reports";

describe("the report's parts", () => {
  it("start as every part, the whole year, A4 PDF of the header's version", () => {
    const o = defaultOptions("Baseline 2026");
    expect(o.sections).toEqual(SECTIONS);
    expect(o.period).toEqual({ kind: "whole_year" });
    expect([o.format, o.paper, o.version]).toEqual(["pdf", "a4", "Baseline 2026"]);
  });

  it("keep the report's order whatever order they are ticked in", () => {
    expect(toggleSection(["definitions"], "summary")).toEqual(["summary", "definitions"]);
    expect(toggleSection(["summary", "charts"], "summary")).toEqual(["charts"]);
  });

  it("never become empty", () => {
    expect(toggleSection(["charts"], "charts")).toEqual(["charts"]);
  });
});

describe("names where an empty list means all", () => {
  const all = ["Website", "Phone", "Walk-in"];

  it("unticking one of all leaves the others, ticking the last one means all again", () => {
    expect(toggleName([], "Phone", all)).toEqual(["Website", "Walk-in"]);
    expect(toggleName(["Website", "Walk-in"], "Phone", all)).toEqual([]);
  });

  it("keeps the list's order and at least one name", () => {
    expect(toggleName(["Walk-in"], "Website", all)).toEqual(["Website", "Walk-in"]);
    expect(toggleName(["Walk-in"], "Walk-in", all)).toEqual(["Walk-in"]);
  });
});

describe("the period", () => {
  it("keeps months within the year and in order", () => {
    expect(normalisedPeriod({ kind: "months", from: 9, to: 2 })).toEqual({ kind: "months", from: 2, to: 9 });
    expect(normalisedPeriod({ kind: "months", from: -3, to: 40 })).toEqual({ kind: "months", from: 1, to: 12 });
    expect(normalisedPeriod({ kind: "year_to_date" })).toEqual({ kind: "year_to_date" });
  });
});

describe("the export", () => {
  it("writes one file per table or chart for CSV, SVG and PNG", () => {
    expect(["pdf", "xlsx", "csv", "svg", "png"].map((f) => isSeveralFiles(f as never))).toEqual([
      false,
      false,
      true,
      true,
      true,
    ]);
  });

  it("reports its progress as a share that stays within 0 and 1", () => {
    expect(progressShare(null)).toBe(0);
    expect(progressShare({ done: 3, total: 8 })).toBe(0.375);
    expect(progressShare({ done: 9, total: 8 })).toBe(1);
    expect(progressShare({ done: 1, total: 0 })).toBe(0);
  });

  it("reloads the preview for a new part or period, not for another file format", () => {
    const o = defaultOptions(null);
    expect(previewKey(2026, { ...o, format: "xlsx" })).toBe(previewKey(2026, o));
    expect(previewKey(2026, { ...o, sections: ["summary"] })).not.toBe(previewKey(2026, o));
    expect(previewKey(2025, o)).not.toBe(previewKey(2026, o));
  });
});
