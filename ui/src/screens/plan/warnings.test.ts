import { describe, expect, it } from "vitest";
import type { PlanView } from "../../bindings/PlanView";
import { cellKey, type PlanContext } from "./context";
import { problemText, warningCells, warningMarks, warningText } from "./warnings";

const view = {
  version: { id: 3, year: 2026, name: "Re-forecast", status: "draft", baseline: false },
  input: {
    sources: [{ id: 7, name: "Website" }],
    product_lines: [{ id: 4, name: "Aster Van" }],
    mix: [{ month: 2, product_line_id: null, shares: [] }],
  },
  result: {
    warnings: [
      { kind: "budget_exceeded", scope: "month_source", month: 10, source_id: 7, budget: 2700, spend: 2735.4, over: 35.4 },
      { kind: "stock_cap", month: 3, product_line_id: 4, target: 19.2, stock: 14, capped: 5.2 },
      { kind: "budget_exceeded", scope: "month", month: 10, source_id: null, budget: 8000, spend: 8100, over: 100 },
    ],
  },
  problems: [],
} as unknown as PlanView;

// a fiscal year from April: plan month 0 is April, 3 is July, 10 is February
const ctx: PlanContext = { view, locale: "en", currency: "EUR", start: 4 };

describe("cell keys", () => {
  it("name cells as the backend does", () => {
    expect(cellKey({ kind: "close_rate", source_id: 7 })).toBe("close_rate.7");
    expect(cellKey({ kind: "budget", source_id: 7, month: 5 })).toBe("budget.7.5");
    expect(cellKey({ kind: "mix", month: 2, source_id: 7, product_line_id: null })).toBe("mix.7.2");
    expect(cellKey({ kind: "mix", month: 2, source_id: 7, product_line_id: 4 })).toBe("mix.7.2.4");
    expect(cellKey({ kind: "monthly_target", product_line_id: 4, month: 0 })).toBe("monthly_target.4.0");
    expect(cellKey({ kind: "annual_budget_cap" })).toBe("annual_budget_cap");
  });
});

describe("warnings", () => {
  it("say what is over, where and by how much, in the fiscal year's months", () => {
    const [budget, stock] = view.result!.warnings;
    expect(warningText(ctx, budget)).toBe("Website in February: spend €2,735 against a budget of €2,700, €35 over.");
    expect(warningText(ctx, stock)).toBe("Aster Van in July: demand 19 against stock 14; 5.2 cannot be planned.");
  });

  it("mark the budget cell and the computed figure of that source and month", () => {
    expect(warningCells(view.result!.warnings[0])).toEqual(["budget.7.10", "result.7.10"]);
    expect(warningCells(view.result!.warnings[1])).toEqual(["stock.4.3"]);
  });

  it("collect every warning on a cell", () => {
    const marks = warningMarks(ctx);
    expect(marks.get("stock.4.3")).toContain("Aster Van in July");
    expect(marks.get("budget_total.10")).toBe("All sources in February: spend €8,100 against a budget of €8,000, €100 over.");
  });
});

describe("problems", () => {
  it("name the month of a mix entry that does not add up", () => {
    const text = problemText(ctx, { field: "mix[0].shares", rule: "other", message: "the shares add up to 0.97" });
    expect(text).toBe("Channel mix, June: the shares add up to 0.97");
  });

  it("put broken rules in words", () => {
    expect(problemText(ctx, { field: "seasonality[1]", rule: "range", min: 0, max: 1000 })).toBe(
      "seasonality[1]: Must be between 0 and 1000.",
    );
  });
});
