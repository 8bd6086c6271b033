// What the Plan screen's parts share: the version on screen, names, units and labels.
import type { Locale } from "../../bindings/Locale";
import type { PlanCell } from "../../bindings/PlanCell";
import type { PlanView } from "../../bindings/PlanView";
import { formatMoney, formatPercent } from "../../lib/format";
import { calendarMonth, formatFigure } from "../../lib/grid";
import { monthLong, monthShort } from "../../lib/i18n.svelte";

export interface PlanContext {
  view: PlanView;
  locale: Locale;
  currency: string;
  /** First calendar month of the fiscal year, 1..12. */
  start: number;
}

/** A message above the grids: an error (with details such as every problem of a file) or news. */
export interface Notice {
  text: string;
  details?: string[];
  info?: boolean;
}

/** The key the backend names a refused cell by (`PlanCell::key` in the workbook crate). */
export function cellKey(cell: PlanCell): string {
  switch (cell.kind) {
    case "annual_target":
      return `annual_target.${cell.product_line_id}`;
    case "monthly_target":
      return `monthly_target.${cell.product_line_id}.${cell.month}`;
    case "stock":
      return `stock.${cell.product_line_id}.${cell.month}`;
    case "seasonality":
      return `seasonality.${cell.month}`;
    case "mix":
      return cell.product_line_id === null
        ? `mix.${cell.source_id}.${cell.month}`
        : `mix.${cell.source_id}.${cell.month}.${cell.product_line_id}`;
    case "budget":
      return `budget.${cell.source_id}.${cell.month}`;
    case "annual_budget_cap":
      return "annual_budget_cap";
    default:
      return `${cell.kind}.${cell.source_id}`;
  }
}

export function sourceName(ctx: PlanContext, id: number | null): string {
  return ctx.view.input.sources.find((s) => s.id === id)?.name ?? "";
}

export function productLineName(ctx: PlanContext, id: number): string {
  return ctx.view.input.product_lines.find((p) => p.id === id)?.name ?? "";
}

/** Short names of the twelve plan months, in fiscal order. */
export function monthLabels(start: number): string[] {
  return Array.from({ length: 12 }, (_, i) => monthShort(calendarMonth(i, start)));
}

export function monthName(ctx: PlanContext, month: number): string {
  return monthLong(calendarMonth(month, ctx.start));
}

export function money(ctx: PlanContext, units: number): string {
  return formatMoney(units, ctx.currency, 0, ctx.locale);
}

export function figure(ctx: PlanContext, value: number): string {
  return formatFigure(value, ctx.locale);
}

export function percent(ctx: PlanContext, fraction: number): string {
  return formatPercent(fraction, 1, ctx.locale);
}

/** Money as the workbook stores it (cents) in currency units. */
export function units(cents: number): number {
  return cents / 100;
}
