// The Actuals screen in the real window: a CRM export of 30,000 leads is checked and
// imported with a progress bar, its report shows the counts `leadplan import` gives for the
// same file, the leads arrive in the month-by-source counts exactly as the file has them,
// and undoing the import takes them away again. A small file with planted faults is
// reported line by line, its unknown values are mapped on the screen, only its valid rows
// are imported, and its findings are exported as CSV.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { CLI, leadplan, startApp, tempDir, waitForText } from "./harness.mjs";

const YEAR = new Date().getFullYear();

/** Records of a CSV text (quotes and doubled quotes respected), header first. */
function parseCsv(text) {
  const records = [];
  let record = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      record.push(field);
      field = "";
    } else if (c === "\n" || c === "\r") {
      if (c === "\r" && text[i + 1] === "\n") i++;
      record.push(field);
      if (record.some((f) => f !== "")) records.push(record);
      record = [];
      field = "";
    } else field += c;
  }
  if (field !== "" || record.length > 0) records.push([...record, field]);
  return records;
}

/** Leads of the CSV per "source|month" (calendar month of created_at). */
function countsOf(file) {
  const [header, ...rows] = parseCsv(readFileSync(file, "utf8"));
  const source = header.indexOf("source");
  const created = header.indexOf("created_at");
  const out = new Map();
  for (const r of rows) {
    const key = `${r[source]}|${Number(r[created].slice(5, 7))}`;
    out.set(key, (out.get(key) ?? 0) + 1);
  }
  return out;
}

/** `leadplan import --json` of `file` into a copy of `workbook` (its report lists every finding). */
function cliImport(workbook, file, ...flags) {
  const copy = join(tempDir(), "copy.leadplan");
  copyFileSync(workbook, copy);
  const out = execFileSync(CLI, ["import", copy, file, "--json", ...flags], { encoding: "utf8", maxBuffer: 256 << 20 });
  return JSON.parse(out);
}

const click = async (b, selector) => {
  const el = await b.$(selector);
  await el.waitForClickable({ timeout: 15000 });
  await el.click();
};
const attr = async (b, selector, name) => (await b.$(selector)).getAttribute(name);
const tab = (b, id) => click(b, `[data-tab="${id}"]`);

/** The report's counts and findings per kind as the screen shows them. */
async function shownReport(b, root) {
  const counts = {};
  for (const el of await b.$$(`${root} [data-count][data-value]`)) {
    counts[await el.getAttribute("data-count")] = Number(await el.getAttribute("data-value"));
  }
  const kinds = {};
  for (const el of await b.$$(`${root} details[data-kind]`)) {
    kinds[await el.getAttribute("data-kind")] = Number(await el.getAttribute("data-count"));
  }
  return { counts, kinds };
}

/** Leads shown for a source and month on the counts tab, and the change marked beside it. */
async function countCell(b, sourceId, month) {
  const cell = await b.$(`#lead-counts tr[data-source="${sourceId}"] td[data-month="${month}"]`);
  const delta = await cell.$(".delta");
  return {
    leads: Number(await cell.getAttribute("data-value")),
    delta: (await delta.isExisting()) ? Number(await delta.getAttribute("data-delta")) : 0,
  };
}

/** Collects every value the progress bar shows from now on. */
function watchProgress(b) {
  return b.execute(() => {
    const w = /** @type {any} */ (window);
    w.progressSeen = [];
    const record = () => {
      const bar = document.querySelector('[data-progress] [role="progressbar"]');
      if (bar) w.progressSeen.push(Number(bar.getAttribute("aria-valuenow")));
    };
    w.progressObserver?.disconnect();
    w.progressObserver = new MutationObserver(record);
    w.progressObserver.observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ["aria-valuenow"] });
  });
}
const progressSeen = (b) => b.execute(() => /** @type {any} */ (window).progressSeen);

test("a CRM export is checked, imported with progress, counted per month and source, and undone", async (t) => {
  const home = tempDir();
  const workbook = join(home, "actuals.leadplan");
  const file = join(home, "crm-export.csv");
  const exports = join(home, "exports");
  mkdirSync(exports);
  leadplan("new", workbook, "--demo");
  leadplan("demo-export", "--leads", "30000", "--seed", "3", "--year", String(YEAR), file);
  const info = JSON.parse(leadplan("info", workbook, "--json"));
  const sourceId = (name) => info.sources.find((s) => s.name === name).id;
  // what the command line says of the same file on copies of the workbook
  const dryRun = cliImport(workbook, file, "--dry-run");
  const imported = cliImport(workbook, file);
  const inFile = countsOf(file);
  assert.equal(dryRun.report.counts.read, 30000);

  const app = await startApp({
    workbook,
    home,
    env: { LEADPLAN_E2E_IMPORT_FILE: file, LEADPLAN_E2E_EXPORT_DIR: exports },
  });
  try {
    const b = app.browser;
    await waitForText(b, "#organisation", "Van Dijk Auto Group");
    await click(b, 'button[data-screen="actuals"]');
    await waitForText(b, "main h1", "Actuals");

    // the counts before: Website in March and in December
    await tab(b, "counts");
    await (await b.$("#lead-counts")).waitForExist({ timeout: 15000 });
    const website = sourceId("Website");
    const before = { march: await countCell(b, website, 3), december: await countCell(b, website, 12) };

    // choose the file: it is recognised and previewed
    await tab(b, "import");
    await click(b, "#import-choose");
    await waitForText(b, "#import-file-name", "crm-export.csv");
    await waitForText(b, "#import-preset", "Recognised: Leadplan CSV");
    await (await b.$('#import-preview tr[data-line="2"][data-state="ok"]')).waitForExist({ timeout: 15000 });

    // a check that is cancelled writes nothing and says so
    await click(b, "#import-check-button");
    await click(b, "#import-cancel");
    await waitForText(b, "#import-notice span", "The check was cancelled. Nothing was written.", 30000);

    // the check: the progress bar appears and moves, the report has the command line's counts
    await watchProgress(b);
    await click(b, "#import-check-button");
    await (await b.$("#import-check")).waitForExist({ timeout: 60000 });
    const checked = await shownReport(b, "#import-check");
    assert.deepEqual(checked.counts, dryRun.report.counts);
    assert.deepEqual(checked.kinds, dryRun.report.finding_counts);
    let seen = await progressSeen(b);
    assert.ok(seen.length > 0, "the progress bar appeared");
    assert.ok(Math.max(...seen) > 0, `the progress bar moved (${seen.join(", ")})`);
    t.diagnostic(`progress shown during the check: ${seen.join(", ")} %`);
    await waitForText(b, "#import-check-text", `All ${(30000).toLocaleString("en-GB")} rows are valid.`);

    // the import: new, updated and unchanged as the command line's import of the same file
    await watchProgress(b);
    await click(b, "#import-all");
    await (await b.$("#import-result")).waitForExist({ timeout: 60000 });
    seen = await progressSeen(b);
    assert.ok(seen.length > 0, "the progress bar appeared during the import");
    t.diagnostic(`progress shown during the import: ${seen.join(", ")} %`);
    const result = await shownReport(b, "#import-result");
    assert.deepEqual(result.counts, {
      ...imported.report.counts,
      new: imported.new,
      updated: imported.updated,
      unchanged: imported.unchanged,
    });
    assert.equal(imported.new, 30000);

    // the leads arrive in the counts: exactly the file's leads of Website in March and December
    await click(b, "#import-show-counts");
    const march = inFile.get("Website|3");
    const december = inFile.get("Website|12");
    assert.ok(march > 0 && december > 0);
    await waitForText(b, `#lead-counts tr[data-source="${website}"] td[data-month="3"] .delta`, `+${march}`);
    assert.deepEqual(await countCell(b, website, 3), { leads: before.march.leads + march, delta: march });
    assert.deepEqual(await countCell(b, website, 12), { leads: before.december.leads + december, delta: december });
    assert.equal(Number(await attr(b, "#counts-total", "data-value")), Number(await attr(b, "#actuals-leads", "data-value")));

    // undo, after confirming: the counts return
    await tab(b, "history");
    await click(b, '#import-history [data-action="undo"]');
    await click(b, "#undo-confirm");
    await waitForText(b, "#history-message span", "The import of crm-export.csv was undone.");
    assert.equal(await (await b.$('#import-history [data-action="undo"]')).isExisting(), false);
    await tab(b, "counts");
    await waitForText(b, `#lead-counts tr[data-source="${website}"] td[data-month="3"] .delta`, `−${march}`);
    assert.equal((await countCell(b, website, 3)).leads, before.march.leads);
    assert.equal((await countCell(b, website, 12)).leads, before.december.leads);

    // a small file with planted faults, written where the big one was
    const y = YEAR;
    writeFileSync(
      file,
      [
        "external_id,created_at,source,product_line,first_attempt_at,first_two_way_at,attempts,stage,lost_reason,appointment_at,won_at,value,owner",
        `F-1,${y}-03-02 09:00:00,Website,Aster City,${y}-03-02 09:30:00,,2,contacted,,,,,Eva Smit`,
        `F-2,32.03.${y} 10:00,Website,Aster City,,,1,new,,,,,Eva Smit`,
        `F-3,${y}-03-04 10:00:00,Phone,Aster Van,${y}-03-04 10:05:00,,-2,contacted,,,,,Daan Bakker`,
        `F-1,${y}-03-05 11:00:00,Phone,Aster City,${y}-03-05 11:10:00,,1,contacted,,,,,Eva Smit`,
        `F-5,${y}-03-06 12:00:00,Website,Aster City,${y}-03-05 12:00:00,,1,contacted,,,,,Eva Smit`,
        `F-6,${y}-03-07 12:00:00,Phone,Aster City,${y}-03-07 12:10:00,,5,Storno,Cancelled,,,,Noor Meijer`,
        `F-7,${y}-03-08 12:00:00,Phone,Aster City,${y}-03-08 12:10:00,,1,lost,No response,,,,Eva Smit`,
        `F-8,${y}-03-09 12:00:00,Showroom,Aster Tourer,${y}-03-09 12:10:00,${y}-03-09 12:10:00,1,contacted,,,,,Noor Meijer`,
        "",
      ].join("\n"),
    );
    // by hand: 8 rows; rejected: line 3 invalid date, 4 negative attempts, 5 duplicate of
    // line 2, 6 first contact before creation, 7 unknown stage; valid: lines 2, 8, 9 (line 8
    // lost after 1 attempt, fewer than the SLA's 4; line 9 an unknown source)
    const faults = {
      invalid_date: [3],
      negative_attempts: [4],
      duplicate_id: [5],
      first_contact_before_creation: [6],
      unknown_stage: [7],
      lost_below_sla_attempts: [8],
      unknown_source: [9],
    };
    const cli = cliImport(workbook, file, "--dry-run");
    assert.deepEqual(cli.report.counts, { read: 8, valid: 3, rejected: 5, duplicates: 1 });

    await tab(b, "import");
    await click(b, "#import-another");
    await click(b, "#import-choose");
    await (await b.$('#import-preview tr[data-line="3"][data-state="error"]')).waitForExist({ timeout: 15000 });
    await click(b, "#import-check-button");
    await (await b.$("#import-check")).waitForExist({ timeout: 30000 });
    const faulty = await shownReport(b, "#import-check");
    assert.deepEqual(faulty.counts, cli.report.counts);
    assert.deepEqual(faulty.kinds, Object.fromEntries(Object.entries(faults).map(([k, lines]) => [k, lines.length])));
    for (const [kind, lines] of Object.entries(faults)) {
      const group = await b.$(`#import-check details[data-kind="${kind}"]`);
      await group.$("summary").click();
      const shown = [];
      for (const row of await group.$$("tr[data-line]")) shown.push(Number(await row.getAttribute("data-line")));
      assert.deepEqual(shown, lines, kind);
    }
    await waitForText(b, "#import-check-text", /^3 rows are valid, 5 rows have errors\./);

    // map the unknown stage and source once, check again
    const stage = await b.$('#import-values tr[data-value="Storno"] select');
    await stage.selectByAttribute("value", "lost");
    const showroom = await b.$('#import-values tr[data-value="Showroom"] select');
    await showroom.selectByAttribute("value", "Walk-in");
    await click(b, "#import-check-button");
    await (await b.$("#import-check")).waitForExist({ timeout: 30000 });
    const mapped = await shownReport(b, "#import-check");
    // line 7 is now lost (after 5 attempts: no warning), line 9 comes from Walk-in
    assert.deepEqual(mapped.counts, { read: 8, valid: 4, rejected: 4, duplicates: 1 });
    assert.equal(mapped.kinds.unknown_stage, undefined);
    assert.equal(mapped.kinds.unknown_source, undefined);

    // import the valid rows only; export the findings
    await click(b, "#import-valid-only");
    await (await b.$("#import-result")).waitForExist({ timeout: 30000 });
    assert.equal(Number(await attr(b, '#import-result [data-count="new"]', "data-value")), 4);
    await click(b, "#export-findings");
    await waitForText(b, "#export-message", `Saved to ${join(exports, "findings.csv")}`);
    const [header, ...rows] = parseCsv(readFileSync(join(exports, "findings.csv"), "utf8").replace(/^\uFEFF/, ""));
    assert.deepEqual(header, ["line", "column", "kind", "severity", "value", "message"]);
    assert.deepEqual(
      rows.map((r) => [Number(r[0]), r[2]]),
      [
        [3, "invalid_date"],
        [4, "negative_attempts"],
        [5, "duplicate_id"],
        [6, "first_contact_before_creation"],
        [8, "lost_below_sla_attempts"],
      ],
    );

    // the mapped source counts the lead: Walk-in gains one lead in March
    await click(b, "#import-show-counts");
    await waitForText(b, `#lead-counts tr[data-source="${sourceId("Walk-in")}"] td[data-month="3"] .delta`, "+1");
  } finally {
    await app.stop();
  }
});

test("spend: arrow keys move between cells; a pasted block lands as one step that Ctrl+Z takes back and Ctrl+Y puts again", async () => {
  const home = tempDir();
  const workbook = join(home, "spend.leadplan");
  leadplan("new", workbook, "--demo");
  const spendIn = () => {
    const cells = JSON.parse(leadplan("compare", workbook, "--year", String(YEAR), "--json")).cells;
    return (source, month) => cells.find((c) => c.index === month - 1 && c.source_id === source).figures.spend.actual;
  };
  const before = spendIn();
  let first;
  let second;
  const app = await startApp({ workbook, home });
  try {
    const b = app.browser;
    await waitForText(b, "#organisation", "Van Dijk Auto Group");
    await click(b, 'button[data-screen="actuals"]');
    await tab(b, "spend");
    [first, second] = await Promise.all((await b.$$("#spend tbody tr[data-source]")).slice(0, 2).map((r) => r.getAttribute("data-source")));
    const focused = () => b.execute(() => document.activeElement?.getAttribute("data-spend"));

    await click(b, `[data-spend="${first}-1"]`);
    await b.keys("ArrowRight");
    await b.waitUntil(async () => (await focused()) === `${first}-2`, { timeout: 5000, timeoutMsg: "→ did not move to February" });
    await b.keys("ArrowDown");
    await b.waitUntil(async () => (await focused()) === `${second}-2`, { timeout: 5000, timeoutMsg: "↓ did not move to the next source" });

    // a block copied from a German spreadsheet: two sources × January and February
    const total = async () => Number(await attr(b, "#spend-total", "data-value"));
    const t0 = await total();
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
      `[data-spend="${first}-1"]`,
      "1.250,50\t980\r\n2.000\t75,25\r\n",
    );
    assert.ok(handled, "the table takes the paste over");
    const pasted = [
      [first, 1, 125050],
      [first, 2, 98000],
      [second, 1, 200000],
      [second, 2, 7525],
    ];
    const t1 = pasted.reduce((sum, [s, m, cents]) => sum - before(Number(s), m) + cents, t0);
    assert.notEqual(t1, t0);
    await b.waitUntil(async () => (await total()) === t1, { timeout: 10000, timeoutMsg: "the pasted block did not land" });

    // one undo takes the whole block back, one redo puts it again
    await click(b, `[data-spend="${first}-6"]`);
    await b.keys(["Control", "z"]);
    await b.waitUntil(async () => (await total()) === t0, { timeout: 10000, timeoutMsg: "Ctrl+Z did not take the block back" });
    await b.keys(["Control", "y"]);
    await b.waitUntil(async () => (await total()) === t1, { timeout: 10000, timeoutMsg: "Ctrl+Y did not put the block again" });
    await (await b.$("#spend-undo")).waitForEnabled({ timeout: 5000 });
  } finally {
    await app.stop();
  }
  const after = spendIn();
  assert.deepEqual(
    [after(Number(first), 1), after(Number(first), 2), after(Number(second), 1), after(Number(second), 2)],
    [125050, 98000, 200000, 7525],
  );
});
