// The computed plan's warnings in words, and the cells each one concerns.
import type { FieldError } from "../../bindings/FieldError";
import type { PlanWarning } from "../../bindings/PlanWarning";
import { t } from "../../lib/i18n.svelte";
import {
  type PlanContext,
  figure,
  money,
  monthName,
  percent,
  productLineName,
  sourceName,
} from "./context";

export function warningText(ctx: PlanContext, w: PlanWarning): string {
  switch (w.kind) {
    case "conversion_below_floor":
      return t("plan.warning.conversion", {
        source: sourceName(ctx, w.source_id),
        conversion: percent(ctx, w.conversion),
        floor: percent(ctx, w.floor),
      });
    case "stock_cap":
      return t("plan.warning.stock", {
        line: productLineName(ctx, w.product_line_id),
        month: monthName(ctx, w.month),
        target: figure(ctx, w.target),
        stock: figure(ctx, w.stock),
        capped: figure(ctx, w.capped),
      });
    case "budget_exceeded":
      return t(`plan.warning.budget.${w.scope}`, {
        source: sourceName(ctx, w.source_id),
        month: w.month === null ? "" : monthName(ctx, w.month),
        spend: money(ctx, w.spend),
        budget: money(ctx, w.budget),
        over: money(ctx, w.over),
      });
  }
}

/** Keys of the cells a warning is marked on (grid cells and computed figures). */
export function warningCells(w: PlanWarning): string[] {
  switch (w.kind) {
    case "conversion_below_floor":
      return [`conversion.${w.source_id}`];
    case "stock_cap":
      return [`stock.${w.product_line_id}.${w.month}`];
    case "budget_exceeded":
      switch (w.scope) {
        case "month_source":
          return [`budget.${w.source_id}.${w.month}`, `result.${w.source_id}.${w.month}`];
        case "month":
          return [`budget_total.${w.month}`, `result.total.${w.month}`];
        case "source":
          return [`budget_year.${w.source_id}`, `result.${w.source_id}.year`];
        case "year":
          return ["budget_total.year", "result.total.year"];
        case "cap":
          return ["annual_budget_cap"];
      }
  }
}

/** Each marked cell with the words of every warning on it. */
export function warningMarks(ctx: PlanContext): Map<string, string> {
  const marks = new Map<string, string>();
  for (const w of ctx.view.result?.warnings ?? []) {
    const text = warningText(ctx, w);
    for (const key of warningCells(w)) {
      const before = marks.get(key);
      marks.set(key, before ? `${before}\n${text}` : text);
    }
  }
  return marks;
}

/** The tab of the Plan screen a warning's cells are on. */
export function warningTab(w: PlanWarning): "sources" | "stock" | "budgets" {
  if (w.kind === "conversion_below_floor") return "sources";
  return w.kind === "stock_cap" ? "stock" : "budgets";
}

/** A rule broken by a value, in words. */
export function ruleText(e: FieldError): string {
  switch (e.rule) {
    case "too_long":
      return t("validation.too_long", { max: e.max });
    case "range":
      return t("validation.range", { min: e.min, max: e.max });
    case "one_of":
      return t("validation.one_of", { allowed: e.allowed.join(", ") });
    case "other":
      return e.message;
    default:
      return t(`validation.${e.rule}`);
  }
}

/**
 * Why the plan cannot be computed, in words: where (a mix entry by its month and product
 * line, else the field) and what is wrong.
 */
export function problemText(ctx: PlanContext, e: FieldError): string {
  const mix = /^mix\[(\d+)\]/.exec(e.field);
  const entry = mix ? ctx.view.input.mix[Number(mix[1])] : undefined;
  let where = e.field;
  if (entry) {
    where = t("plan.problem.mix", { month: monthName(ctx, entry.month) });
    if (entry.product_line_id !== null) where += ` (${productLineName(ctx, entry.product_line_id)})`;
  } else if (e.field === "mix") {
    where = t("plan.tab.mix");
  }
  return `${where}: ${ruleText(e)}`;
}
