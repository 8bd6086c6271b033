import { describe, expect, it } from "vitest";
import {
  calendarMonth,
  cellText,
  cellValue,
  columnSums,
  formatFigure,
  parseBlock,
  placeBlock,
  step,
} from "./grid";

describe("plan months", () => {
  it("follow the calendar when the fiscal year starts in January", () => {
    expect([0, 5, 11].map((i) => calendarMonth(i, 1))).toEqual([1, 6, 12]);
  });

  it("wrap into the next calendar year when it starts later", () => {
    // a year from April: Apr … Dec, then Jan, Feb, Mar
    expect([0, 8, 9, 11].map((i) => calendarMonth(i, 4))).toEqual([4, 12, 1, 3]);
  });
});

describe("cell text", () => {
  it("shows rates as percentages without trailing zeros", () => {
    expect(cellText(0.36, "percent", "en")).toBe("36");
    expect(cellText(0.135, "percent", "de")).toBe("13,5");
    expect(cellText(0.1234, "percent", "en")).toBe("12.34");
  });

  it("shows money whole or with cents", () => {
    expect(cellText(1500, "money", "de")).toBe("1.500");
    expect(cellText(25.5, "money", "de")).toBe("25,50");
  });

  it("shows counts and indices as entered, and nothing for no value", () => {
    expect(cellText(12, "count", "en")).toBe("12");
    expect(cellText(1.125, "index", "nl")).toBe("1,125");
    expect(cellText(null, "count", "en")).toBe("");
  });

  it("reads typed text back in stored units", () => {
    expect(cellValue("13,5", "percent", "de")).toBeCloseTo(0.135, 12);
    expect(cellValue("1.234,5", "money", "en")).toBe(1234.5);
    expect(cellValue("  ", "count", "en")).toBeNull();
    expect(cellValue("twelve", "count", "en")).toBeUndefined();
  });

  it("round computed figures for display only", () => {
    expect(formatFigure(455.1779, "en")).toBe("455");
    expect(formatFigure(4.26, "de")).toBe("4,3");
    expect(formatFigure(0, "en")).toBe("0");
    expect(formatFigure(1234.5, "de")).toBe("1.235");
  });
});

describe("a pasted block", () => {
  it("reads tab-separated rows in German notation, whatever the locale", () => {
    const r = parseBlock("1.234,5\t12,5\r\n3\t0,25\r\n", "en");
    expect(r).toEqual({ block: [[1234.5, 12.5], [3, 0.25]] });
  });

  it("reads English notation, whatever the locale", () => {
    const r = parseBlock("1,234.5\t7\n2,000\t0.5", "de");
    expect(r).toEqual({ block: [[1234.5, 7], [2000, 0.5]] });
  });

  it("decides ambiguous cells by the rest of the block", () => {
    // "1.234" alone is a thousand in German; "2,5" shows the block is German
    expect(parseBlock("1.234\t2,5", "en")).toEqual({ block: [[1234, 2.5]] });
    // and a decimal in an English block
    expect(parseBlock("1.234\t2.5", "de")).toEqual({ block: [[1.234, 2.5]] });
  });

  it("falls back to the locale when no cell tells", () => {
    expect(parseBlock("1.234", "de")).toEqual({ block: [[1234]] });
    expect(parseBlock("1.234", "en")).toEqual({ block: [[1.234]] });
  });

  it("keeps empty cells and strips units and quotes", () => {
    expect(parseBlock('12 %\t\t"€ 1.500,00"', "en")).toEqual({ block: [[12, null, 1500]] });
  });

  it("names the first cell that is not a number", () => {
    expect(parseBlock("1\t2\n3\tfour", "en")).toEqual({ bad: { row: 1, col: 1, text: "four" } });
  });

  it("lands right and down from the cell, clipped to the grid", () => {
    const placed = placeBlock({ row: 1, col: 10 }, [[1, 2, 3], [4, null, 6]], 2, 12);
    expect(placed).toEqual([
      { pos: { row: 1, col: 10 }, value: 1 },
      { pos: { row: 1, col: 11 }, value: 2 },
    ]);
  });
});

describe("keyboard moves", () => {
  const at = (row: number, col: number) => ({ row, col });

  it("stop at the edges with arrows and Enter", () => {
    expect(step(at(0, 0), "ArrowUp", false, 3, 4)).toEqual(at(0, 0));
    expect(step(at(0, 3), "ArrowRight", false, 3, 4)).toEqual(at(0, 3));
    expect(step(at(1, 2), "ArrowLeft", false, 3, 4)).toEqual(at(1, 1));
    expect(step(at(1, 2), "Enter", false, 3, 4)).toEqual(at(2, 2));
    expect(step(at(1, 2), "Enter", true, 3, 4)).toEqual(at(0, 2));
    expect(step(at(2, 2), "ArrowDown", false, 3, 4)).toEqual(at(2, 2));
  });

  it("run on to the next row with Tab and leave the grid after the last cell", () => {
    expect(step(at(0, 3), "Tab", false, 3, 4)).toEqual(at(1, 0));
    expect(step(at(1, 0), "Tab", true, 3, 4)).toEqual(at(0, 3));
    expect(step(at(2, 3), "Tab", false, 3, 4)).toBeNull();
    expect(step(at(0, 0), "Tab", true, 3, 4)).toBeNull();
  });
});

describe("column sums", () => {
  it("count empty cells as 0", () => {
    expect(columnSums([[0.5, null], [0.25, 0.5]], 2)).toEqual([0.75, 0.5]);
  });
});
