// The input grids of the Plan screen as rows of cells, built from the plan version on screen.
// Every figure comes from the computed plan; only the mix sums are added up here, because a
// mix that does not add up is exactly when the plan cannot be computed.
import type { PlanCell } from "../../bindings/PlanCell";
import { cellText, columnSums, MIX_TOLERANCE, type Unit } from "../../lib/grid";
import { t } from "../../lib/i18n.svelte";
import {
  type PlanContext,
  cellKey,
  figure,
  money,
  monthLabels,
  percent,
  units,
} from "./context";

export interface Column {
  key: string;
  label: string;
  /** Shown on hover, e.g. the unit. */
  title?: string;
}

export interface GridCell {
  key: string;
  /** The plan value this cell edits; `null` for a computed, read-only cell. */
  cell: PlanCell | null;
  unit: Unit;
  /** In stored units: rates as fractions, money in currency units. */
  value: number | null;
  /** Text of a computed cell. */
  text?: string;
  /** Greyed text shown while the cell is empty, e.g. the annual target spread by seasonality. */
  placeholder?: string;
  /** Whether the cell may be emptied. */
  clearable: boolean;
  /** Warnings on this cell, in words. */
  mark?: string;
}

export interface GridRow {
  key: string;
  label: string;
  cells: GridCell[];
}

export interface FooterCell {
  text: string;
  bad?: boolean;
  title?: string;
}

export interface FooterRow {
  key: string;
  label: string;
  cells: FooterCell[];
}

export interface GridModel {
  corner: string;
  columns: Column[];
  rows: GridRow[];
  footer: FooterRow[];
}

const MONTHS = Array.from({ length: 12 }, (_, m) => m);

function monthColumns(ctx: PlanContext): Column[] {
  return monthLabels(ctx.start).map((label, m) => ({ key: `m${m}`, label }));
}

function input(
  cell: PlanCell,
  unit: Unit,
  value: number | null,
  marks: Map<string, string>,
  extra: Partial<GridCell> = {},
): GridCell {
  const key = cellKey(cell);
  const clearable = ["monthly_target", "stock", "mix", "budget", "direct_conversion", "annual_budget_cap"];
  return { key, cell, unit, value, clearable: clearable.includes(cell.kind), mark: marks.get(key), ...extra };
}

function computed(key: string, text: string, marks: Map<string, string>): GridCell {
  return { key, cell: null, unit: "count", value: null, text, clearable: false, mark: marks.get(key) };
}

/** Sales targets: the annual figure, then a month's own target over its greyed spread. */
export function targetsGrid(ctx: PlanContext, marks: Map<string, string>): GridModel {
  const r = ctx.view.result;
  const rows = ctx.view.input.product_lines.map((line) => {
    const p = r?.product_line_ids.indexOf(line.id) ?? -1;
    const spread = (m: number) =>
      r && p >= 0 ? figure(ctx, r.month_product_lines[m * r.product_line_ids.length + p].base_target) : undefined;
    return {
      key: `line.${line.id}`,
      label: line.name,
      cells: [
        input({ kind: "annual_target", product_line_id: line.id }, "count", line.annual_target, marks),
        ...MONTHS.map((m) =>
          input({ kind: "monthly_target", product_line_id: line.id, month: m }, "count", line.monthly_targets[m], marks, {
            placeholder: spread(m),
          }),
        ),
      ],
    };
  });
  const footer: FooterRow[] = r
    ? [
        {
          key: "target",
          label: t("plan.targets.with_launches"),
          cells: [r.year.target, ...r.months.map((x) => x.target)].map((v) => ({ text: figure(ctx, v) })),
        },
        {
          key: "planned_sales",
          label: t("plan.figure.planned_sales"),
          cells: [r.year.planned_sales, ...r.months.map((x) => x.planned_sales)].map((v) => ({ text: figure(ctx, v) })),
        },
      ]
    : [];
  if (r && r.year.capped > 0) {
    footer.push({
      key: "capped",
      label: t("plan.figure.capped"),
      cells: [r.year.capped, ...r.months.map((x) => x.capped)].map((v) => ({ text: figure(ctx, v), bad: v > 0 })),
    });
  }
  return {
    corner: t("plan.product_line"),
    columns: [{ key: "annual", label: t("plan.targets.annual") }, ...monthColumns(ctx)],
    rows,
    footer,
  };
}

export function seasonalityGrid(ctx: PlanContext, marks: Map<string, string>): GridModel {
  const r = ctx.view.result;
  return {
    corner: "",
    columns: monthColumns(ctx),
    rows: [
      {
        key: "seasonality",
        label: t("plan.seasonality.index"),
        cells: MONTHS.map((m) => input({ kind: "seasonality", month: m }, "index", ctx.view.input.seasonality[m], marks)),
      },
    ],
    footer: r
      ? [
          {
            key: "normalised",
            label: t("plan.seasonality.normalised"),
            cells: r.seasonality.map((s) => ({ text: cellText(s, "index", ctx.locale) })),
          },
        ]
      : [],
  };
}

export function stockGrid(ctx: PlanContext, marks: Map<string, string>): GridModel {
  return {
    corner: t("plan.product_line"),
    columns: monthColumns(ctx),
    rows: ctx.view.input.product_lines.map((line) => ({
      key: `line.${line.id}`,
      label: line.name,
      cells: MONTHS.map((m) =>
        input({ kind: "stock", product_line_id: line.id, month: m }, "count", line.stock[m], marks),
      ),
    })),
    footer: [],
  };
}

/** The channel mix of every product line (`productLineId` null) or one product line's own. */
export function mixGrid(ctx: PlanContext, marks: Map<string, string>, productLineId: number | null): GridModel {
  const entries = MONTHS.map((m) =>
    ctx.view.input.mix.find((e) => e.month === m && e.product_line_id === productLineId),
  );
  const rows = ctx.view.input.sources.map((source) => ({
    key: `source.${source.id}`,
    label: source.name,
    cells: MONTHS.map((m) => {
      const share = entries[m]?.shares.find((s) => s.source_id === source.id)?.share ?? null;
      return input({ kind: "mix", month: m, source_id: source.id, product_line_id: productLineId }, "percent", share, marks);
    }),
  }));
  const sums = columnSums(
    rows.map((row) => row.cells.map((c) => c.value)),
    12,
  );
  return {
    corner: t("plan.source"),
    columns: monthColumns(ctx),
    rows,
    footer: [
      {
        key: "sum",
        label: t("plan.mix.sum"),
        cells: sums.map((sum, m) =>
          entries[m]
            ? { text: percent(ctx, sum), bad: Math.abs(sum - 1) > MIX_TOLERANCE }
            : productLineId === null
              ? { text: percent(ctx, 0), bad: true }
              : { text: "—", title: t("plan.mix.follows_general") },
        ),
      },
    ],
  };
}

export function sourcesGrid(ctx: PlanContext, marks: Map<string, string>): GridModel {
  const r = ctx.view.result;
  const rate = (label: string) => ({ label: t(label), title: "%" });
  return {
    corner: t("plan.source"),
    columns: [
      { key: "cost_per_lead", label: t("plan.sources.cost_per_lead"), title: ctx.currency },
      { key: "fixed_monthly_cost", label: t("plan.sources.fixed_monthly_cost"), title: ctx.currency },
      { key: "contact_rate", ...rate("plan.sources.contact_rate") },
      { key: "appointment_rate", ...rate("plan.sources.appointment_rate") },
      { key: "close_rate", ...rate("plan.sources.close_rate") },
      { key: "direct_conversion", ...rate("plan.sources.direct_conversion") },
      { key: "conversion", ...rate("plan.sources.conversion") },
    ],
    rows: ctx.view.input.sources.map((source) => {
      const a = source.assumptions;
      const id = source.id;
      const total = r?.sources.find((s) => s.source_id === id);
      return {
        key: `source.${id}`,
        label: source.name,
        cells: [
          input({ kind: "cost_per_lead", source_id: id }, "money", units(a.cost_per_lead), marks),
          input({ kind: "fixed_monthly_cost", source_id: id }, "money", units(a.fixed_monthly_cost), marks),
          input({ kind: "contact_rate", source_id: id }, "percent", a.contact_rate, marks),
          input({ kind: "appointment_rate", source_id: id }, "percent", a.appointment_rate, marks),
          input({ kind: "close_rate", source_id: id }, "percent", a.close_rate, marks),
          input({ kind: "direct_conversion", source_id: id }, "percent", a.direct_conversion, marks, {
            placeholder: "—",
          }),
          computed(`conversion.${id}`, total ? percent(ctx, total.conversion) : "–", marks),
        ],
      };
    }),
    footer: [],
  };
}

export function budgetsGrid(ctx: PlanContext, marks: Map<string, string>): GridModel {
  const r = ctx.view.input;
  const result = ctx.view.result;
  const rows = r.sources.map((source) => {
    const months = r.budgets.find((b) => b.source_id === source.id)?.months;
    const year = result?.sources.find((s) => s.source_id === source.id);
    return {
      key: `source.${source.id}`,
      label: source.name,
      cells: [
        ...MONTHS.map((m) =>
          input({ kind: "budget", source_id: source.id, month: m }, "money", months ? units(months[m]) : null, marks),
        ),
        computed(`budget_year.${source.id}`, year ? money(ctx, year.budget) : "–", marks),
      ],
    };
  });
  const line = (key: string, label: string, pick: (x: { budget: number; launch_budget: number; spend: number; gap: number }) => number): FooterRow => ({
    key,
    label: t(label),
    cells: result
      ? [...result.months, result.year].map((x, m) => {
          const mark = marks.get(`budget_total.${m === 12 ? "year" : m}`);
          const v = pick(x);
          return { text: money(ctx, v), bad: key === "gap" ? v < 0 : key === "budget" && mark !== undefined, title: mark };
        })
      : [],
  });
  return {
    corner: t("plan.source"),
    columns: [...monthColumns(ctx), { key: "year", label: t("plan.year") }],
    rows,
    footer: result
      ? [
          line("launch_budget", "plan.figure.launch_budget", (x) => x.launch_budget),
          line("budget", "plan.figure.budget_total", (x) => x.budget),
          line("spend", "plan.figure.spend", (x) => x.spend),
          line("gap", "plan.figure.gap", (x) => x.gap),
        ]
      : [],
  };
}

/** The year's cap on total spend, as a grid of one cell. */
export function capGrid(ctx: PlanContext, marks: Map<string, string>): GridModel {
  const cap = ctx.view.input.annual_budget_cap;
  return {
    corner: "",
    columns: [{ key: "cap", label: ctx.currency }],
    rows: [
      {
        key: "cap",
        label: t("plan.budgets.cap"),
        cells: [input({ kind: "annual_budget_cap" }, "money", cap === null ? null : units(cap), marks, { placeholder: "—" })],
      },
    ],
    footer: [],
  };
}
