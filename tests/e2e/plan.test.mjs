// The Plan screen in the real window: a changed conversion changes the leads needed to the
// value worked out here from the workbook's own figures; undo, redo and a restart keep the
// right state; a rate over 100 % is refused; a block pasted from a spreadsheet lands in the
// grid as one undoable step.
import { test } from "node:test";
import assert from "node:assert/strict";
import { demoWorkbook, leadplan, startApp, typeInto, waitForText } from "./harness.mjs";

const YEAR = new Date().getFullYear();
const DRAFT = `Re-forecast June ${YEAR}`;
const APRIL = 3; // plan month index (the demo's fiscal year starts in January)

function planFile(workbook) {
  return JSON.parse(leadplan("plan", "export", workbook, "--year", String(YEAR), "--version", DRAFT));
}

function computedPlan(workbook) {
  return JSON.parse(leadplan("plan", "show", workbook, "--year", String(YEAR), "--version", DRAFT, "--json"));
}

/** A figure as the screen rounds it for display: whole numbers from 10 up (English locale). */
function shown(value) {
  const decimals = Math.abs(value) < 10 && value !== 0 ? 1 : 0;
  return new Intl.NumberFormat("en-GB", { minimumFractionDigits: decimals, maximumFractionDigits: decimals }).format(value);
}

async function openDraft(b) {
  await waitForText(b, "#organisation", "Van Dijk Auto Group");
  await (await b.$("#version")).selectByVisibleText(DRAFT);
  await waitForText(b, "#plan-version-name", DRAFT);
  await waitForText(b, "#plan-version-status", /draft/i);
}

async function showTab(b, tab) {
  await (await b.$(`[data-tab="${tab}"]`)).click();
  await (await b.$(`[data-grid="${tab}"]`)).waitForExist({ timeout: 5000 });
}

test("a changed close rate changes the leads needed; undo, redo and a restart keep the right state", async () => {
  const { home, workbook } = demoWorkbook("conversion.leadplan");
  const before = computedPlan(workbook);
  const website = before.sources.find((s) => s.name === "Website");
  const s = before.source_ids.indexOf(website.source_id);
  const cell = before.month_sources[APRIL * before.source_ids.length + s];
  const rates = planFile(workbook).sources.find((x) => x.name === "Website");
  assert.equal(rates.direct_conversion, null, "the Website converts through its funnel rates");

  // by hand: leads needed = planned sales ÷ (contact rate × appointment rate × close rate)
  const newClose = 0.45;
  const expected = cell.planned_sales / (rates.contact_rate * rates.appointment_rate * newClose);
  const oldText = shown(cell.leads);
  const newText = shown(expected);
  assert.notEqual(oldText, newText);
  const figure = `[data-figure="leads.${website.source_id}.${APRIL}"]`;
  const closeRate = `input[data-cell="close_rate.${website.source_id}"]`;

  let app = await startApp({ workbook, home });
  try {
    const b = app.browser;
    await openDraft(b);
    await waitForText(b, figure, oldText);

    await showTab(b, "sources");
    await typeInto(b, closeRate, "45");
    await waitForText(b, figure, newText);

    await b.keys(["Control", "z"]);
    await waitForText(b, figure, oldText);
    assert.equal(await (await b.$(closeRate)).getValue(), "35");

    await b.keys(["Control", "Shift", "z"]);
    await waitForText(b, figure, newText);
    assert.equal(await (await b.$(closeRate)).getValue(), "45");
  } finally {
    await app.stop();
  }

  const after = computedPlan(workbook);
  const stored = after.month_sources[APRIL * after.source_ids.length + s].leads;
  assert.ok(Math.abs(stored - expected) < 1e-9 * expected, `${stored} leads stored, ${expected} expected`);

  app = await startApp({ workbook, home });
  try {
    const b = app.browser;
    await openDraft(b);
    await waitForText(b, figure, newText);
    await showTab(b, "sources");
    assert.equal(await (await b.$(closeRate)).getValue(), "45");
  } finally {
    await app.stop();
  }
});

test("a rate over 100 % is refused in the cell; a pasted block fills the grid as one step", async () => {
  const { home, workbook } = demoWorkbook("paste.leadplan");
  const plan = computedPlan(workbook);
  const [first, second] = plan.source_ids;
  const budgets = (file) => Object.fromEntries(file.budgets.map((x) => [x.source, x.months]));
  const names = plan.sources.map((x) => x.name);
  const original = budgets(planFile(workbook));

  const app = await startApp({ workbook, home });
  try {
    const b = app.browser;
    await openDraft(b);

    await showTab(b, "sources");
    const closeRate = `input[data-cell="close_rate.${first}"]`;
    await typeInto(b, closeRate, "150");
    await waitForText(b, `[data-error-for="close_rate.${first}"]`, /A rate must be between 0 % and 100 %\.$/);
    assert.equal(await (await b.$(closeRate)).getAttribute("aria-invalid"), "true");
    await (await b.$(closeRate)).click();
    await b.keys("Escape");
    assert.equal(await (await b.$(closeRate)).getValue(), "35");
    assert.equal(await (await b.$(`[data-error-for="close_rate.${first}"]`)).isExisting(), false);

    // a block copied from a German spreadsheet: two sources × January and February
    await showTab(b, "budgets");
    const origin = `input[data-cell="budget.${first}.0"]`;
    await (await b.$(origin)).click();
    const handled = await b.execute(
      (selector, text) => {
        const data = new DataTransfer();
        data.setData("text/plain", text);
        let event = new ClipboardEvent("paste", { clipboardData: data, bubbles: true, cancelable: true });
        if (!event.clipboardData) {
          event = new Event("paste", { bubbles: true, cancelable: true });
          Object.defineProperty(event, "clipboardData", { value: data });
        }
        document.querySelector(selector).dispatchEvent(event);
        return event.defaultPrevented;
      },
      origin,
      "1.234,5\t2.000\r\n3.000\t4.000,75\r\n",
    );
    assert.ok(handled, "the grid takes the paste over");
    const value = async (sel) => (await b.$(sel)).getValue();
    await b.waitUntil(async () => (await value(`input[data-cell="budget.${second}.1"]`)) === "4,000.75", {
      timeout: 10000,
      timeoutMsg: "the pasted block did not land",
    });
    assert.equal(await value(origin), "1,234.50");
    assert.equal(await value(`input[data-cell="budget.${first}.1"]`), "2,000");
    assert.equal(await value(`input[data-cell="budget.${second}.0"]`), "3,000");

    // one undo takes back the whole block
    await b.keys(["Control", "z"]);
    await b.waitUntil(async () => (await value(`input[data-cell="budget.${second}.1"]`)) !== "4,000.75", {
      timeout: 10000,
      timeoutMsg: "undo did not take the block back",
    });
    assert.equal(await value(origin), shown(original[names[0]][0]));
    await b.keys(["Control", "Shift", "z"]);
    await b.waitUntil(async () => (await value(origin)) === "1,234.50", { timeout: 10000 });
  } finally {
    await app.stop();
  }

  const file = planFile(workbook);
  const website = file.sources.find((x) => x.name === names[0]);
  assert.equal(website.close_rate, 0.35, "the refused rate must not be saved");
  const stored = budgets(file);
  assert.deepEqual(stored[names[0]].slice(0, 3), [1234.5, 2000, original[names[0]][2]]);
  assert.deepEqual(stored[names[1]].slice(0, 3), [3000, 4000.75, original[names[1]][2]]);
});
