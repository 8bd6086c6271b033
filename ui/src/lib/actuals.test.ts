import { describe, expect, it } from "vitest";
import type { Finding } from "../bindings/Finding";
import type { FindingKind } from "../bindings/FindingKind";
import type { ImportReport } from "../bindings/ImportReport";
import type { PreviewRow } from "../bindings/PreviewRow";
import {
  pasteSpend,
  countChanges,
  countTable,
  decisions,
  defaultOptions,
  fileSize,
  findingGroups,
  formatMoment,
  formatStamp,
  fraction,
  headerKey,
  mappedHeader,
  missingRequired,
  spendEntry,
  spendTable,
  valuesToMap,
  withColumn,
  withValue,
} from "./actuals";

function finding(line: number, kind: FindingKind, value: string | null = null): Finding {
  const warnings: FindingKind[] = ["lost_below_sla_attempts", "never_contacted", "unknown_source", "no_source"];
  return {
    line,
    column: "c",
    kind,
    severity: warnings.includes(kind) ? "warning" : "error",
    value,
    message: "for logs",
  };
}

function report(findings: Finding[], counts: Partial<Record<FindingKind, number>> = {}, read = 10, rejected = 0): ImportReport {
  const finding_counts: Partial<Record<FindingKind, number>> = {};
  for (const f of findings) finding_counts[f.kind] = (finding_counts[f.kind] ?? 0) + 1;
  return {
    layout: {
      format: "csv",
      encoding: "utf8",
      delimiter: ",",
      sheet: null,
      headers: [],
      signature: "s",
      preset: null,
      mapping: null,
      decimal: "point",
      date_order: "day_first",
    },
    counts: { read, valid: read - rejected, rejected, duplicates: 0 },
    findings,
    finding_counts: { ...finding_counts, ...counts },
    unknown_values: [],
    cancelled: false,
  };
}

describe("the column mapping", () => {
  it("names the required fields it leaves without a column", () => {
    expect(missingRequired(null)).toEqual(["external_id", "created_at"]);
    expect(missingRequired({ columns: { external_id: "Nr." } })).toEqual(["created_at"]);
    expect(missingRequired({ columns: { external_id: "Nr.", created_at: "Eingang" } })).toEqual([]);
  });

  it("sets and clears one field without touching the others or the mapping it came from", () => {
    const start = { signature: "old", columns: { external_id: "Nr.", source: "Kanal" } };
    const next = withColumn(start, "abc", "created_at", "Eingang");
    expect(next).toEqual({ signature: "abc", columns: { external_id: "Nr.", source: "Kanal", created_at: "Eingang" } });
    expect(withColumn(next, "abc", "source", "")).toEqual({
      signature: "abc",
      columns: { external_id: "Nr.", created_at: "Eingang" },
    });
    expect(start.columns).toEqual({ external_id: "Nr.", source: "Kanal" });
  });

  it("finds a mapped header ignoring case and spacing, as the file writes it", () => {
    const headers = ["Lead-Nr.", "Eingang  am", "Kanal"];
    const mapping = { columns: { external_id: "lead-nr.", created_at: " eingang am" } };
    expect(headerKey("  Eingang   AM ")).toBe("eingang am");
    expect(mappedHeader(mapping, headers, "external_id")).toBe("Lead-Nr.");
    expect(mappedHeader(mapping, headers, "created_at")).toBe("Eingang  am");
    expect(mappedHeader(mapping, headers, "source")).toBe("");
    expect(mappedHeader(null, headers, "source")).toBe("");
  });

  it("starts from detection: no mapping, no forced convention, times as UTC", () => {
    const o = defaultOptions();
    expect(o.mapping).toBeNull();
    expect([o.encoding, o.delimiter, o.decimal, o.date_order, o.sheet]).toEqual([null, null, null, null, null]);
    expect(o.local_time).toEqual({ kind: "utc" });
  });
});

describe("values to map", () => {
  const empty = { stages: {}, sources: {}, product_lines: {} };

  it("are taken from the preview's findings when nothing was checked, counted per value", () => {
    const rows: PreviewRow[] = [
      { line: 2, cells: [], lead: null, findings: [finding(2, "unknown_stage", "Storno")] },
      { line: 3, cells: [], lead: null, findings: [finding(3, "unknown_source", "Showroom"), finding(3, "never_contacted")] },
      { line: 4, cells: [], lead: null, findings: [finding(4, "unknown_stage", "Storno")] },
    ];
    expect(valuesToMap(null, rows, empty)).toEqual([
      { kind: "stages", value: "Storno", count: 2, lines: [2, 4] },
      { kind: "sources", value: "Showroom", count: 1, lines: [3] },
    ]);
  });

  it("come from the check's report when there is one, stages first; a status word is a stage; mapped ones stay listed", () => {
    const r = report([]);
    r.unknown_values = [
      { field: "product_line", value: "Golf GTI", count: 40, first_lines: [3] },
      { field: "source", value: "Showroom", count: 3, first_lines: [5, 9, 12] },
      { field: "status", value: "Storno", count: 1, first_lines: [2] },
    ];
    const rows: PreviewRow[] = [{ line: 2, cells: [], lead: null, findings: [finding(2, "unknown_stage", "Other")] }];
    const values = { stages: {}, sources: { "Marktplaats.nl": "Marktplaats" }, product_lines: {} };
    expect(valuesToMap(r, rows, values)).toEqual([
      { kind: "stages", value: "Storno", count: 1, lines: [2] },
      { kind: "sources", value: "Showroom", count: 3, lines: [5, 9, 12] },
      { kind: "sources", value: "Marktplaats.nl", count: 0, lines: [] },
      { kind: "product_lines", value: "Golf GTI", count: 40, lines: [3] },
    ]);
  });

  it("are set and cleared without changing the mapping given", () => {
    const a = withValue(empty, "stages", "Storno", "lost");
    expect(a).toEqual({ stages: { Storno: "lost" }, sources: {}, product_lines: {} });
    expect(withValue(a, "stages", "Storno", "")).toEqual(empty);
    expect(empty.stages).toEqual({});
  });
});

describe("the report", () => {
  it("groups findings by kind, errors first, each with its full count", () => {
    const r = report(
      [
        finding(2, "never_contacted"),
        finding(3, "invalid_date", "32.01.2026"),
        finding(4, "never_contacted"),
        finding(5, "duplicate_id", "A-1"),
        finding(6, "never_contacted"),
        finding(7, "invalid_date", "x"),
      ],
      // a stored report keeps the first findings of a kind but counts them all
      { never_contacted: 6000 },
    );
    const g = findingGroups(r);
    expect(g.map((x) => [x.kind, x.severity, x.count, x.findings.map((f) => f.line)])).toEqual([
      ["invalid_date", "error", 2, [3, 7]],
      ["duplicate_id", "error", 1, [5]],
      ["never_contacted", "warning", 6000, [2, 4, 6]],
    ]);
  });

  it("offers all rows when none is rejected, the valid ones or nothing otherwise", () => {
    expect(decisions(report([], {}, 10, 0))).toEqual(["all"]);
    expect(decisions(report([], {}, 10, 3))).toEqual(["valid_only", "nothing"]);
    expect(decisions(report([], {}, 4, 4))).toEqual(["nothing"]);
    expect(decisions(report([], {}, 0, 0))).toEqual(["nothing"]);
  });
});

describe("the months × sources tables", () => {
  const sources = [
    { id: 1, name: "Website" },
    { id: 2, name: "Phone" },
  ];

  it("count leads per source and calendar month with row and month totals", () => {
    const t = countTable(
      [
        { month: 1, source_id: 2, leads: 5, won: 1 },
        { month: 1, source_id: 1, leads: 10, won: 2 },
        { month: 3, source_id: 1, leads: 4, won: 0 },
        { month: 3, source_id: null, leads: 2, won: 0 },
        { month: 12, source_id: 9, leads: 1, won: 1 },
      ],
      sources,
    );
    // rows: the named sources in their order, then id 9 (unnamed), then no source
    expect(t.rows.map((r) => [r.sourceId, r.name, r.total])).toEqual([
      [1, "Website", 14],
      [2, "Phone", 5],
      [9, null, 1],
      [null, null, 2],
    ]);
    expect(t.rows[0].months).toEqual([10, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    // January 10 + 5, March 4 + 2, December 1; 15 + 6 + 1 = 22
    expect(t.totals).toEqual([15, 0, 6, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
    expect(t.total).toEqual(22);
    expect(countTable([{ month: 1, source_id: 1, leads: 10, won: 2 }], sources, true).total).toEqual(2);
  });

  it("say which cells an import or an undo changed, and by how much", () => {
    const before = [
      { month: 3, source_id: 1, leads: 10, won: 0 },
      { month: 4, source_id: 1, leads: 7, won: 0 },
      { month: 5, source_id: null, leads: 2, won: 0 },
    ];
    const after = [
      { month: 3, source_id: 1, leads: 13, won: 1 },
      { month: 4, source_id: 1, leads: 7, won: 0 },
      { month: 6, source_id: 2, leads: 4, won: 0 },
    ];
    // March +3, May's leads without source gone (-2), June new (+4), April unchanged
    expect([...countChanges(before, after)].sort()).toEqual([
      ["1-3", 3],
      ["2-6", 4],
      ["none-5", -2],
    ]);
  });

  it("give every named source a spend row, even without spend", () => {
    const t = spendTable([{ source_id: 2, year: 2026, month: 2, amount: 125050 }], sources);
    expect(t.rows.map((r) => [r.name, r.total])).toEqual([
      ["Website", 0],
      ["Phone", 125050],
    ]);
    expect(t.totals[1]).toEqual(125050);
  });

  it("refuse text and negative spend, and take an empty cell as nothing spent", () => {
    expect(spendEntry(1250.5)).toEqual({ cents: 125050 });
    expect(spendEntry(0.1 + 0.2)).toEqual({ cents: 30 });
    expect(spendEntry(null)).toEqual({ cents: 0 });
    expect(spendEntry(undefined)).toEqual({ error: "not_a_number" });
    expect(spendEntry(-1)).toEqual({ error: "negative" });
  });
});

describe("formatting", () => {
  it("writes file sizes with the locale's separator", () => {
    expect(fileSize(512, "en")).toBe("512 B");
    expect(fileSize(3_930_826, "en")).toBe("3.9 MB");
    expect(fileSize(3_930_826, "de")).toBe("3,9 MB");
    expect(fileSize(123_456_789, "nl")).toBe("123 MB");
  });

  it("shows a stored timestamp as the time it records, a date alone without time", () => {
    expect(formatStamp("2026-03-05T14:30:00Z", "de")).toBe("05.03.2026 14:30");
    expect(formatStamp("2026-03-05T00:00:00Z", "en")).toBe("05/03/2026");
  });

  it("shows a moment in the computer's time zone", () => {
    // built from local parts, so the expectation holds in every time zone
    const local = new Date(2026, 10, 24, 9, 5);
    expect(formatMoment(local.toISOString(), "nl")).toBe("24-11-2026 09:05");
    expect(formatMoment("not a time", "en")).toBe("not a time");
  });

  it("keeps progress between 0 and 1", () => {
    expect(fraction(50, 200)).toBe(0.25);
    expect(fraction(10, 0)).toBe(0);
    expect(fraction(300, 200)).toBe(1);
  });
});

describe("a block pasted into the spend table", () => {
  // three sources; the second spent 500.00 in March
  const rows = [
    { sourceId: 1, months: Array(12).fill(0) },
    { sourceId: 2, months: [0, 0, 50000, 0, 0, 0, 0, 0, 0, 0, 0, 0] },
    { sourceId: 3, months: Array(12).fill(0) },
  ];

  it("fills right and down from the cell, in the block's own notation, leaving out unchanged figures", () => {
    // copied from a German spreadsheet: two sources × three months, one empty cell
    const text = "1.250,50\t980\t\r\n2.000\t500\t75,25\r\n";
    expect(pasteSpend(text, "en", 0, 2, rows)).toEqual({
      changes: [
        { source: 1, month: 2, before: 0, after: 125050 },
        { source: 1, month: 3, before: 0, after: 98000 },
        { source: 2, month: 2, before: 0, after: 200000 },
        // March of source 2 stays 500.00; the empty cell of source 1 in April was nothing spent already
        { source: 2, month: 4, before: 0, after: 7525 },
      ],
    });
  });

  it("is clipped at the table's edges; an empty cell clears a figure", () => {
    const changes = pasteSpend("10\t20\t30\n\t40\t50\n60\t70\t80", "en", 1, 11, rows);
    expect(changes).toEqual({
      changes: [
        { source: 2, month: 11, before: 0, after: 1000 },
        { source: 2, month: 12, before: 0, after: 2000 },
        { source: 3, month: 12, before: 0, after: 4000 },
      ],
    });
    expect(pasteSpend("5\t", "en", 1, 2, rows)).toEqual({
      changes: [
        { source: 2, month: 2, before: 0, after: 500 },
        { source: 2, month: 3, before: 50000, after: 0 },
      ],
    });
  });

  it("is refused as a whole at the first cell that is not an amount or is negative", () => {
    expect(pasteSpend("100\t200\n300\tabout 400", "en", 0, 1, rows)).toEqual({
      refused: { reason: "not_a_number", row: 2, column: 2, text: "about 400" },
    });
    expect(pasteSpend("100\t200\n300\t-400", "en", 0, 1, rows)).toEqual({
      refused: { reason: "negative", row: 2, column: 2, text: "-400" },
    });
  });
});
