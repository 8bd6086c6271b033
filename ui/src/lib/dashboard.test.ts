import { describe, expect, it } from "vitest";
import type { LeadQualityFeedback } from "../bindings/LeadQualityFeedback";
import {
  averageRatings,
  buildFilter,
  calendarMonth,
  chartTitle,
  isChecked,
  money,
  num,
  pct,
  readHover,
  toggleId,
  tooltipPosition,
} from "./dashboard";

describe("the filter", () => {
  it("sorts the ids, drops repeats and keeps empty lists as 'everything'", () => {
    expect(buildFilter({ sources: [5, 1, 5], productLines: [], firstMonth: 0, lastMonth: 11 })).toEqual({
      sources: [1, 5],
      product_lines: [],
      first_month: 0,
      last_month: 11,
    });
  });

  it("puts the months in order and within the year", () => {
    const f = buildFilter({ sources: [], productLines: [3], firstMonth: 9, lastMonth: 2 });
    expect([f.first_month, f.last_month]).toEqual([2, 9]);
    const g = buildFilter({ sources: [], productLines: [], firstMonth: -4, lastMonth: 40 });
    expect([g.first_month, g.last_month]).toEqual([0, 11]);
    const h = buildFilter({ sources: [], productLines: [], firstMonth: Number.NaN, lastMonth: 3.7 });
    expect([h.first_month, h.last_month]).toEqual([0, 3]);
  });
});

describe("a multi-select where an empty list means all", () => {
  const all = [1, 2, 3];

  it("shows every box checked when nothing is chosen", () => {
    expect(isChecked([], 2)).toBe(true);
    expect(isChecked([1], 2)).toBe(false);
  });

  it("unchecking one of all leaves the others, in the order of the options", () => {
    expect(toggleId([], 2, all)).toEqual([1, 3]);
    expect(toggleId([3], 1, all)).toEqual([1, 3]);
  });

  it("checking the last missing one goes back to 'all'", () => {
    expect(toggleId([1, 3], 2, all)).toEqual([]);
  });

  it("keeps the last checked one checked", () => {
    expect(toggleId([2], 2, all)).toEqual([2]);
  });
});

describe("months of a plan year", () => {
  it("count from the first month of the fiscal year", () => {
    expect(calendarMonth(0, 1)).toBe(1);
    expect(calendarMonth(11, 1)).toBe(12);
    // a year starting in April: index 8 is December, index 9 January
    expect(calendarMonth(8, 4)).toBe(12);
    expect(calendarMonth(9, 4)).toBe(1);
    expect(calendarMonth(11, 4)).toBe(3);
  });
});

/** A stand-in for a hit element of a chart: attributes and one <title> child. */
function fakeHit(attrs: Record<string, string>, title: string | null): Element {
  const hit = {
    getAttribute: (name: string) => attrs[name] ?? null,
    querySelector: (sel: string) => (sel === "title" && title !== null ? { textContent: title } : null),
    closest: (sel: string) => (sel === ".hit" ? hit : null),
  };
  return hit as unknown as Element;
}

describe("hovering a data point", () => {
  it("reads what the renderer put on the hit element", () => {
    const hit = fakeHit(
      { "data-group": "Website", "data-series": "Actual", "data-label": "Mar", "data-value": "1,204" },
      "Website · Actual · Mar: 1,204",
    );
    expect(readHover(hit)).toEqual({
      group: "Website",
      series: "Actual",
      label: "Mar",
      value: "1,204",
      title: "Website · Actual · Mar: 1,204",
    });
  });

  it("finds the hit from a child and nothing outside a hit", () => {
    const hit = fakeHit({ "data-value": "13 %" }, null);
    const child = { closest: () => hit } as unknown as Element;
    expect(readHover(child)?.value).toBe("13 %");
    const plain = { closest: () => null } as unknown as Element;
    expect(readHover(plain)).toBeNull();
    expect(readHover(null)).toBeNull();
  });
});

describe("the tooltip", () => {
  it("sits below right of the pointer when it fits", () => {
    expect(tooltipPosition(100, 100, 120, 40, 1280, 800)).toEqual({ left: 114, top: 114 });
  });

  it("flips to the left and above near the window's edges", () => {
    // 1200 + 14 + 120 > 1280, so left = 1200 − 14 − 120 = 1066; 780 + 14 + 40 > 800: top = 726
    expect(tooltipPosition(1200, 780, 120, 40, 1280, 800)).toEqual({ left: 1066, top: 726 });
  });
});

describe("a chart's title", () => {
  it("is the first <title> of the SVG, unescaped", () => {
    const svg =
      '<svg data-chart="x"><title>Plan &amp; actual &lt;2026&gt;</title><desc>d</desc>' +
      '<rect class="hit"><title>Actual · Jan: 5</title></rect></svg>';
    expect(chartTitle(svg)).toBe("Plan & actual <2026>");
    expect(chartTitle("<svg></svg>")).toBe("");
  });
});

describe("lead-quality ratings", () => {
  const f = (source_id: number, year: number, month: number, rating: number): LeadQualityFeedback => ({
    id: 0,
    source_id,
    year,
    month,
    rating,
    reasons: [],
    given_by: "Sales",
  });

  it("average per source over the selected calendar months only", () => {
    const feedback = [f(1, 2026, 1, 4), f(1, 2026, 2, 2), f(1, 2026, 5, 1), f(2, 2026, 2, 5), f(2, 2025, 2, 1)];
    const months = [
      { year: 2026, month: 1 },
      { year: 2026, month: 2 },
    ];
    const r = averageRatings(feedback, months);
    // source 1: (4 + 2) / 2 = 3 (May is not selected); source 2: 5 (February 2025 is not 2026)
    expect(r.get(1)).toEqual({ average: 3, count: 2 });
    expect(r.get(2)).toEqual({ average: 5, count: 1 });
    expect(r.has(3)).toBe(false);
  });
});

describe("figures that may be undefined", () => {
  it("show a dash for null and the locale's format otherwise", () => {
    expect(num(null, 0, "en")).toBe("–");
    expect(num(6473, 0, "en")).toBe("6,473");
    expect(pct(0.0883, 1, "de")).toBe("8,8\u00a0%");
    expect(pct(null, 1, "de")).toBe("–");
  });

  it("turn cents into currency units", () => {
    // 8 242 572 cents = 82 425.72 €
    expect(money(8242572, "EUR", 0, "en")).toBe("€82,426");
    expect(money(1273, "EUR", 2, "nl")).toBe("€\u00a012,73");
    expect(money(null, "EUR", 2, "en")).toBe("–");
  });
});
