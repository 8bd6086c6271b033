// The Reports screen in the real window: the preview shows the PDF's first pages, a template
// saved from the screen is listed, and a PDF exported from the screen is a real report of the
// workbook whose key figure equals `leadplan compare`. The save dialog cannot be clicked
// through WebDriver, so the app writes into LEADPLAN_E2E_EXPORT_DIR instead of asking.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { leadplan, startApp, tempDir, waitForText } from "./harness.mjs";

const YEAR = new Date().getFullYear();

async function openScreen(b, screen) {
  await (await b.$(`button[data-screen="${screen}"]`)).click();
  await (await b.$(`[data-screen-body="${screen}"]`)).waitForExist({ timeout: 10000 });
}

test("a PDF exported from the Reports screen holds the organisation and the leads of compare", async () => {
  const home = tempDir();
  const workbook = join(home, "reports.leadplan");
  leadplan("new", workbook, "--demo");
  const exports = join(home, "exports");
  mkdirSync(exports);
  const today = new Date().toISOString().slice(0, 10);
  const compare = JSON.parse(leadplan("compare", workbook, "--year", String(YEAR), "--today", today, "--json"));
  // the report writes leads with English grouping for the demo's English workbook
  const leads = compare.kpis.leads_vs_plan.actual.toLocaleString("en-US");

  const app = await startApp({ workbook, home, env: { LEADPLAN_E2E_EXPORT_DIR: exports } });
  try {
    const b = app.browser;
    await waitForText(b, "#organisation", "Van Dijk Auto Group");
    await openScreen(b, "reports");

    // the preview: the first pages of the real PDF, drawn by the app
    await (await b.$('img[data-page="1"]')).waitForExist({ timeout: 60000 });
    await waitForText(b, "#preview-pages", /^\d+ pages$/, 60000);
    const src = await (await b.$('img[data-page="1"]')).getAttribute("src");
    assert.ok(src.startsWith("data:image/png;base64,"), "the page is a PNG");
    await browserWait(
      b,
      () => b.execute(() => document.querySelector('img[data-page="1"]').naturalWidth > 0),
      "the first page's picture loads",
    );

    // the demo's template is there; loading it chooses its parts
    const template = await b.$("#report-template");
    await template.selectByVisibleText("Monthly management report");
    const detail = await b.$('#report-sections input[value="monthly_detail"]');
    await browserWait(b, async () => !(await detail.isSelected()), "the template leaves the monthly detail out");

    // a template saved from the screen is listed
    const name = await b.$("#template-name");
    await name.clearValue();
    await name.addValue("Board pack");
    await (await b.$("#template-save")).click();
    await browserWait(
      b,
      async () => (await (await b.$("#report-template")).getText()).includes("Board pack"),
      "the saved template is listed",
    );

    // export the PDF, with progress, to the test folder
    await (await b.$("#report-export")).click();
    await (await b.$("#report-written li")).waitForExist({ timeout: 120000 });
    const files = readdirSync(exports).filter((f) => f.endsWith(".pdf"));
    assert.equal(files.length, 1, `one PDF in ${exports}: ${files}`);
    const path = join(exports, files[0]);
    assert.ok(existsSync(path));
    assert.equal(readFileSync(path).subarray(0, 5).toString("latin1"), "%PDF-");
    assert.match(await (await b.$("#report-written li")).getText(), new RegExp(files[0].replace(/[.*+?^${}()|[\]\\]/g, "\\$&")));
    const text = execFileSync("pdftotext", ["-layout", path, "-"], { encoding: "utf8" }).replace(/\u00a0/g, " ");
    assert.ok(text.includes("Van Dijk Auto Group"), "the cover names the organisation");
    const kpiLine = text.split("\n").find((l) => l.trim().startsWith("Leads vs plan"));
    assert.ok(kpiLine?.includes(leads), `the KPI line ${JSON.stringify(kpiLine)} shows ${leads} leads`);
  } finally {
    await app.stop();
  }
  // the template was saved in the workbook itself
  const listed = leadplan("report", workbook, "--year", String(YEAR), "--template", "Board pack", "--sections", "summary", "--out", join(exports, "board.pdf"));
  assert.match(listed, /Wrote the /);
});

async function browserWait(b, condition, message) {
  await b.waitUntil(condition, { timeout: 15000, interval: 100, timeoutMsg: message });
}
