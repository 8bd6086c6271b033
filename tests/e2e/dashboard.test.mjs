// The Dashboard in the real window: the KPI tiles show the figures `leadplan compare` prints
// for the same workbook and day, filtering to one source turns them into that source's
// figures, hovering a chart's data point shows the value the comparison holds, and under a
// product-line filter the spend figures are left out with a note.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { leadplan, startApp, tempDir, waitForText } from "./harness.mjs";

const YEAR = new Date().getFullYear();
// the app compares as of today's UTC date; the command line is given the same day
const TODAY = new Date().toISOString().slice(0, 10);
const EN = JSON.parse(readFileSync(resolve(import.meta.dirname, "../../i18n/en.json"), "utf8"));

// The demo workbook speaks English: numbers as en-GB writes them, independently of the app.
function formatter(options) {
  return new Intl.NumberFormat("en-GB", { signDisplay: "negative", ...options });
}
const DASH = "–";
const count = (v, d = 0) => (v === null ? DASH : formatter({ minimumFractionDigits: d, maximumFractionDigits: d }).format(v));
const percent = (v, d) =>
  v === null ? DASH : formatter({ style: "percent", minimumFractionDigits: d, maximumFractionDigits: d }).format(v);
const money = (cents, currency) =>
  cents === null
    ? DASH
    : formatter({ style: "currency", currency, minimumFractionDigits: 0, maximumFractionDigits: 0 }).format(cents / 100);

/** Every figure of the five tiles, as the tiles must show it. */
function expectedTiles(k, currency) {
  return {
    leads_vs_plan: {
      actual: count(k.leads_vs_plan.actual),
      planned_to_date: count(k.leads_vs_plan.planned_to_date),
      attainment: percent(k.leads_vs_plan.attainment, 0),
    },
    conversion_vs_floor: {
      actual: percent(k.conversion_vs_floor.actual, 1),
      floor: percent(k.conversion_vs_floor.floor, 1),
    },
    spend_vs_budget: {
      actual: money(k.spend_vs_budget.actual, currency),
      budget_to_date: money(k.spend_vs_budget.budget_to_date, currency),
      share_of_budget: percent(k.spend_vs_budget.share_of_budget, 0),
    },
    cost_per_sale: {
      actual: money(k.cost_per_sale.actual, currency),
      planned: money(k.cost_per_sale.planned, currency),
      ratio: percent(k.cost_per_sale.ratio, 0),
    },
    forecast_gap: {
      forecast_sales: count(k.forecast_gap.forecast_sales),
      target_sales: count(k.forecast_gap.target_sales),
      gap_sales: count(k.forecast_gap.gap_sales === null ? null : Math.abs(k.forecast_gap.gap_sales)),
    },
  };
}

async function shownTiles(b, expected) {
  const shown = {};
  for (const [kpi, fields] of Object.entries(expected)) {
    shown[kpi] = {};
    for (const field of Object.keys(fields)) {
      shown[kpi][field] = await (await b.$(`[data-kpi="${kpi}"] [data-field="${field}"]`)).getText();
    }
  }
  return shown;
}

async function statuses(b, kpis) {
  const shown = {};
  for (const kpi of Object.keys(kpis)) {
    shown[kpi] = await (await b.$(`[data-kpi="${kpi}"]`)).getAttribute("data-status");
  }
  return shown;
}

const expectedStatuses = (kpis) =>
  Object.fromEntries(Object.entries(kpis).map(([kpi, tile]) => [kpi, tile.status ?? "none"]));

function compare(workbook, ...args) {
  return JSON.parse(leadplan("compare", workbook, "--year", String(YEAR), "--today", TODAY, "--json", ...args));
}

/** Waits until no load is under way and the leads tile shows `text`. */
async function settled(b, text) {
  await waitForText(b, '[data-kpi="leads_vs_plan"] [data-field="actual"]', text, 20000);
  await b.waitUntil(async () => (await (await b.$("[data-screen-body=dashboard]")).getAttribute("aria-busy")) === "false", {
    timeout: 20000,
  });
}

test("the dashboard shows the comparison's figures, for all sources, one source and one product line", async () => {
  const home = tempDir();
  const workbook = join(home, "dashboard.leadplan");
  const app = await startApp({ workbook, home });
  try {
    const b = app.browser;
    await waitForText(b, "#organisation", "Van Dijk Auto Group");
    await (await b.$('button[data-screen="dashboard"]')).click();
    await waitForText(b, "main h1", "Dashboard");

    const currency = JSON.parse(leadplan("info", workbook, "--json")).overview.settings.currency;
    const all = compare(workbook);
    assert.equal(all.today, TODAY);

    const expectAll = expectedTiles(all.kpis, currency);
    await settled(b, expectAll.leads_vs_plan.actual);
    assert.deepEqual(await shownTiles(b, expectAll), expectAll);
    assert.deepEqual(await statuses(b, all.kpis), expectedStatuses(all.kpis));
    // the unformatted figure is on the tile too
    const raw = await (await b.$('[data-kpi="leads_vs_plan"] [data-field="actual"]')).getAttribute("data-value");
    assert.equal(Number(raw), all.kpis.leads_vs_plan.actual);

    // every chart is there as an SVG from the renderer, with its title
    await b.waitUntil(async () => (await b.$$('[data-chart-card] [data-ready="true"] > svg')).length === 10, {
      timeout: 20000,
      timeoutMsg: "the ten charts did not arrive",
    });
    const leadsCard = await b.$('[data-chart-card="leads_plan_vs_actual"]');
    assert.equal(await leadsCard.getAttribute("aria-label"), `Leads per month: plan vs actual, ${YEAR}`);

    // one source only
    const website = all.sources.find((s) => s.name === "Website");
    await (await b.$('[data-filter="sources"] .toggle')).click();
    await (await b.$(`[data-filter="sources"] [data-only="${website.source_id}"]`)).click();
    const one = compare(workbook, "--source", "Website");
    assert.deepEqual(one.filter.sources, [website.source_id]);
    const expectOne = expectedTiles(one.kpis, currency);
    assert.notEqual(expectOne.leads_vs_plan.actual, expectAll.leads_vs_plan.actual);
    await settled(b, expectOne.leads_vs_plan.actual);
    assert.deepEqual(await shownTiles(b, expectOne), expectOne);
    assert.deepEqual(await statuses(b, one.kpis), expectedStatuses(one.kpis));
    assert.equal(
      await (await b.$('[data-filter="sources"] .toggle .summary')).getProperty("textContent"),
      "Website",
      "the filter says which source is shown",
    );

    // hovering the leads chart's actual bar of the first month shows the comparison's count
    const first = one.months[0];
    const label = EN[`month.short.${first.month.month}`];
    const bar = `[data-chart-card="leads_plan_vs_actual"] [data-ready="true"] .hit[data-series="Actual"][data-label="${label}"]`;
    await b.waitUntil(async () => (await b.$(bar)).isExisting(), { timeout: 15000 });
    const hit = await b.$(bar);
    assert.equal(Number(await hit.getAttribute("data-raw")), first.figures.leads.actual);
    await hit.scrollIntoView({ block: "center" });
    await hit.moveTo();
    await waitForText(b, ".tooltip .value", count(first.figures.leads.actual));
    await waitForText(b, ".tooltip .label", label);

    // one product line: spend exists per source only, and the screen says so
    const line = all.product_lines[0];
    await (await b.$("#dashboard-reset")).click();
    await (await b.$('[data-filter="product_lines"] .toggle')).click();
    await (await b.$(`[data-filter="product_lines"] [data-only="${line.product_line_id}"]`)).click();
    const ofLine = compare(workbook, "--product-line", line.name);
    assert.equal(ofLine.spend_attributable, false);
    const expectLine = expectedTiles(ofLine.kpis, currency);
    await settled(b, expectLine.leads_vs_plan.actual);
    assert.deepEqual(await shownTiles(b, expectLine), expectLine);
    assert.equal(expectLine.spend_vs_budget.actual, DASH);
    assert.ok(await (await b.$("#dashboard-spend-note")).isDisplayed());
  } finally {
    await app.stop();
  }
});
