// Pure helpers of the editable grids: month order, cell text, pasted blocks, keyboard moves.
import type { Locale } from "../bindings/Locale";
import { formatNumber, parseNumber } from "./format";

/** The calendar month 1..12 of plan month index `i` (0..11) in a year starting in `start`. */
export function calendarMonth(i: number, start: number): number {
  return ((start - 1 + i) % 12) + 1;
}

/** What a value is, for how it is typed and shown. */
export type Unit = "count" | "index" | "percent" | "money";

const MAX_DECIMALS: Record<Unit, number> = { count: 2, index: 3, percent: 2, money: 2 };

/** The smallest number of decimals, up to `max`, that shows `value` exactly. */
function decimalsOf(value: number, max: number): number {
  for (let d = 0; d < max; d++) {
    if (Math.abs(Math.round(value * 10 ** d) / 10 ** d - value) < 1e-9) return d;
  }
  return max;
}

/**
 * A stored value as the user types it: rates as percentages (0.135 → "13.5"), money with
 * 0 or 2 decimals, other figures without trailing zeros; empty for no value.
 */
export function cellText(value: number | null, unit: Unit, locale: Locale): string {
  if (value === null) return "";
  const shown = unit === "percent" ? value * 100 : value;
  const d = decimalsOf(shown, MAX_DECIMALS[unit]);
  return formatNumber(shown, unit === "money" && d > 0 ? 2 : d, locale);
}

/** A number as typed (a rate in percent) as the value stored (a rate as a fraction). */
export function toStored(typed: number, unit: Unit): number {
  return unit === "percent" ? typed / 100 : typed;
}

/** Text typed into a cell as a stored value; `undefined` when it is not a number. */
export function cellValue(text: string, unit: Unit, locale: Locale): number | null | undefined {
  if (text.trim() === "") return null;
  const n = parseNumber(text, locale);
  return n === null ? undefined : toStored(n, unit);
}

/** A computed figure such as leads or sales: whole above 10, one decimal below. */
export function formatFigure(value: number, locale: Locale): string {
  return formatNumber(value, Math.abs(value) < 10 && value !== 0 ? 1 : 0, locale);
}

/** A pasted cell that is not a number: its row and column within the block (0-based). */
export interface BadCell {
  row: number;
  col: number;
  text: string;
}

/** A block as pasted: a number per cell, `null` for an empty one. */
export type Block = (number | null)[][];

function splitRows(text: string): string[][] {
  const lines = text.replace(/\r\n?/g, "\n").split("\n");
  while (lines.length > 0 && lines[lines.length - 1].trim() === "") lines.pop();
  return lines.map((line) => line.split("\t").map((c) => c.trim().replace(/^"(.*)"$/, "$1")));
}

/**
 * Which decimal separator a block of cells uses, judged by the cells that tell: both
 * separators in one cell (the later is the decimal one), one separator repeated (it groups
 * thousands, so the other is the decimal one), or one separator not followed by exactly
 * three digits. `null` when no cell tells.
 */
function decimalSeparator(cells: string[]): "," | "." | null {
  for (const raw of cells) {
    const s = raw.replace(/[\s\u00a0%€$£]/g, "");
    const dot = s.lastIndexOf(".");
    const comma = s.lastIndexOf(",");
    if (dot >= 0 && comma >= 0) return comma > dot ? "," : ".";
    const sep = dot >= 0 ? "." : comma >= 0 ? "," : null;
    if (sep === null) continue;
    const parts = s.split(sep);
    if (parts.length > 2) return sep === "." ? "," : ".";
    if (parts[1].length !== 3) return sep;
  }
  return null;
}

/**
 * Reads a block copied from a spreadsheet: rows separated by newlines, cells by tabs,
 * numbers in German ("1.234,5") or English ("1,234.5") notation — the block's own notation
 * decides, the locale only where no cell tells. Returns the numbers or the first cell that
 * is not one.
 */
export function parseBlock(text: string, locale: Locale): { block: Block } | { bad: BadCell } {
  const rows = splitRows(text);
  const sep = decimalSeparator(rows.flat());
  const notation: Locale = sep === "," ? "de" : sep === "." ? "en" : locale;
  const block: Block = [];
  for (const [r, cells] of rows.entries()) {
    const values: (number | null)[] = [];
    for (const [c, cell] of cells.entries()) {
      if (cell === "") {
        values.push(null);
        continue;
      }
      const n = parseNumber(cell, notation);
      if (n === null) return { bad: { row: r, col: c, text: cell } };
      values.push(n);
    }
    block.push(values);
  }
  return { block };
}

/** A position in a grid. */
export interface Pos {
  row: number;
  col: number;
}

/** Where each value of `block` lands when pasted at `origin`, clipped to the grid's size. */
export function placeBlock(
  origin: Pos,
  block: Block,
  rows: number,
  cols: number,
): { pos: Pos; value: number | null }[] {
  const placed: { pos: Pos; value: number | null }[] = [];
  for (const [r, values] of block.entries()) {
    for (const [c, value] of values.entries()) {
      const pos = { row: origin.row + r, col: origin.col + c };
      if (pos.row < rows && pos.col < cols) placed.push({ pos, value });
    }
  }
  return placed;
}

/** The keys that move between cells. */
export type MoveKey = "ArrowUp" | "ArrowDown" | "ArrowLeft" | "ArrowRight" | "Tab" | "Enter";

export function isMoveKey(key: string): key is MoveKey {
  return ["ArrowUp", "ArrowDown", "ArrowLeft", "ArrowRight", "Tab", "Enter"].includes(key);
}

/**
 * The cell a key moves to in a grid of `rows` × `cols`: arrows and Enter (down; up with
 * Shift) stop at the edges, Tab (back with Shift) runs on to the next row. `null` when
 * Tab runs past the first or last cell, so focus leaves the grid.
 */
export function step(pos: Pos, key: MoveKey, shift: boolean, rows: number, cols: number): Pos | null {
  const clamp = (row: number, col: number) => ({
    row: Math.min(Math.max(row, 0), rows - 1),
    col: Math.min(Math.max(col, 0), cols - 1),
  });
  switch (key) {
    case "ArrowUp":
      return clamp(pos.row - 1, pos.col);
    case "ArrowDown":
      return clamp(pos.row + 1, pos.col);
    case "ArrowLeft":
      return clamp(pos.row, pos.col - 1);
    case "ArrowRight":
      return clamp(pos.row, pos.col + 1);
    case "Enter":
      return clamp(pos.row + (shift ? -1 : 1), pos.col);
    case "Tab": {
      const index = pos.row * cols + pos.col + (shift ? -1 : 1);
      if (index < 0 || index >= rows * cols) return null;
      return { row: Math.floor(index / cols), col: index % cols };
    }
  }
}

/** The shares of a mix entry add up to 1 within this. */
export const MIX_TOLERANCE = 0.001;

/** Sum of each column of a table of optional values (an empty cell counts as 0). */
export function columnSums(rows: (number | null)[][], cols: number): number[] {
  return Array.from({ length: cols }, (_, c) => rows.reduce((sum, row) => sum + (row[c] ?? 0), 0));
}
