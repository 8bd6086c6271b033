// The Meeting and Definitions screens in the real window: a meeting started with attendees on
// both sides gets the agenda the data proposes, its date, title and attendees are changed
// afterwards, presentation mode steps through it by keyboard, notes stored while still typing,
// a decision and an action item survive a restart (read back in the window and by the
// command-line tool), the minutes PDF holds them; editing a definition both sides had agreed
// clears both agreements. One workbook, two starts of the app.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { demoWorkbook, leadplan, startApp, waitForText } from "./harness.mjs";

const YEAR = new Date().getFullYear();
const TITLE = "Quarterly review Q1";
const DECISION = "Cap the Marktplaats budget at the agreed amount from next month";
const ITEM_NOTES = "Marktplaats leads doubled after the price drop";
const ACTION = "Send sales the list of Marktplaats leads not yet called";
const DUE = `15/01/${YEAR + 1}`;
const SHARED_CHARTS = 10; // presentation mode ends with every shared chart

/** Today as the en-GB workbook writes it. */
function today() {
  const now = new Date();
  const pad = (n) => String(n).padStart(2, "0");
  return `${pad(now.getDate())}/${pad(now.getMonth() + 1)}/${now.getFullYear()}`;
}

async function openScreen(b, screen) {
  await (await b.$(`button[data-screen="${screen}"]`)).click();
  await (await b.$(`[data-screen-body="${screen}"]`)).waitForExist({ timeout: 10000 });
}

/** The agenda's titles as the window shows them, in order. */
async function agendaTitles(b) {
  const inputs = await b.$$('#agenda [data-agenda-item] input[data-field="title"]');
  const titles = [];
  for (const input of inputs) titles.push(await input.getValue());
  return titles;
}

async function setValue(b, selector, value) {
  const el = await b.$(selector);
  await el.waitForExist({ timeout: 10000 });
  await el.click();
  await el.clearValue();
  await el.addValue(value);
}

const { home, workbook } = demoWorkbook("meeting.leadplan");
const exports = join(home, "exports");
mkdirSync(exports);
const env = { LEADPLAN_E2E_EXPORT_DIR: exports };
/** The agenda's titles as the window showed them when the meeting was started. */
let titles = [];

test("a meeting started in the window gets the agenda from the data, is presented by keyboard and stores a decision and an action item", async () => {
  const baseline = JSON.parse(leadplan("info", workbook, "--json")).overview.plan_versions.find(
    (v) => v.year === YEAR && v.baseline,
  );
  assert.ok(baseline, "the demo has this year's baseline");

  const app = await startApp({ workbook, home, env });
  try {
    const b = app.browser;
    await waitForText(b, "#organisation", "Van Dijk Auto Group");
    await openScreen(b, "meeting");
    await waitForText(b, "#meeting-title", "Monthly lead review"); // the demo's meeting

    await (await b.$("#meeting-start")).click();
    await (await b.$('[data-dialog="start-meeting"]')).waitForExist({ timeout: 5000 });
    assert.equal(await (await b.$('[name="plan_version"]')).getValue(), String(baseline.id), "the header's version is reviewed");
    assert.equal(await (await b.$('[name="held_on"]')).getValue(), today(), "today, in the workbook's order (en-GB)");
    await setValue(b, '[name="title"]', "Lead review");
    await (await b.$('[name="period_from"]')).selectByIndex(0);
    await (await b.$('[name="period_to"]')).selectByIndex(2);
    await setValue(b, '[name="attendee-name-0"]', "Femke Willems");
    await setValue(b, '[name="attendee-name-1"]', "Rob Hendriks");
    await (await b.$("#start-meeting-submit")).click();

    await waitForText(b, "#meeting-title", "Lead review");
    await waitForText(b, '#meeting-attendees [data-side="sales"]', "Sales: Rob Hendriks");
    await waitForText(b, "#meeting-meta", /Baseline .* · Jan – Mar$/);
    titles = await agendaTitles(b);
    assert.ok(titles.length >= 3, `the data proposes an agenda (${titles.length} items)`);

    // the title and the attendees changed after the start; the agenda stays
    await (await b.$("#meeting-edit")).click();
    await (await b.$('[data-dialog="edit-meeting"]')).waitForExist({ timeout: 5000 });
    assert.equal(await (await b.$('[name="title"]')).getValue(), "Lead review");
    assert.equal(await (await b.$('[name="attendee-name-1"]')).getValue(), "Rob Hendriks");
    await setValue(b, '[name="title"]', TITLE);
    await (await b.$("#add-attendee")).click();
    await setValue(b, '[name="attendee-name-2"]', "Sanne de Vries");
    assert.equal(await (await b.$('[name="attendee-side-2"]')).getValue(), "sales");
    // a date the calendar lacks is refused in the dialog; ↑ steps a valid one by a day
    await setValue(b, '[name="held_on"]', `31/02/${YEAR}`);
    await (await b.$("#edit-meeting-submit")).click();
    await waitForText(b, '[data-error-for="held_on"]', "Not a date: type it as dd/mm/yyyy");
    assert.equal(await (await b.$('[name="held_on"]')).getAttribute("aria-describedby"), "held_on-error");
    assert.ok(await (await b.$('[data-dialog="edit-meeting"]')).isExisting(), "the dialog stays open");
    await setValue(b, '[name="held_on"]', `31/12/${YEAR}`);
    await b.keys("ArrowUp");
    assert.equal(await (await b.$('[name="held_on"]')).getValue(), `01/01/${YEAR + 1}`);
    await (await b.$("#edit-meeting-submit")).click();

    await waitForText(b, "#meeting-title", TITLE);
    await waitForText(b, '#meeting-attendees [data-side="marketing"]', "Marketing: Femke Willems");
    await waitForText(b, '#meeting-attendees [data-side="sales"]', "Sales: Rob Hendriks, Sanne de Vries");
    await waitForText(b, "#meeting-list button.current .name", TITLE);
    await waitForText(b, "#meeting-meta", new RegExp(`^01/01/${YEAR + 1} · Baseline .* · Jan – Mar$`));
    assert.deepEqual(await agendaTitles(b), titles, "editing the details leaves the agenda as it was");
    const slides = titles.length + SHARED_CHARTS;

    // presentation mode, by keyboard only
    await (await b.$("#present")).click();
    await waitForText(b, "#slide-counter", `1 / ${slides}`);
    await waitForText(b, "#slide-title", titles[0]);
    await b.keys("ArrowRight");
    await b.keys("ArrowRight");
    await waitForText(b, "#slide-counter", `3 / ${slides}`);
    await waitForText(b, "#slide-title", titles[2]);
    await b.keys("ArrowLeft");
    await waitForText(b, "#slide-counter", `2 / ${slides}`);
    await waitForText(b, "#slide-title", titles[1]);
    await b.keys("Escape");
    await b.waitUntil(async () => !(await (await b.$("#presentation")).isExisting()), {
      timeout: 5000,
      timeoutMsg: "Esc did not leave presentation mode",
    });

    // notes typed on the first item are stored once typing pauses, while the field still
    // has the focus (closing the window now would lose nothing)
    const firstNotes = await b.$('#agenda [data-index="0"] textarea[data-field="notes"]');
    await firstNotes.click();
    await firstNotes.addValue(ITEM_NOTES);
    const id = /^\s*(\d+)\s+.*Quarterly review Q1/m.exec(leadplan("meeting", "list", workbook))?.[1];
    await b.waitUntil(async () => leadplan("meeting", "show", workbook, "--id", id).includes(`notes: ${ITEM_NOTES}`), {
      timeout: 10000,
      timeoutMsg: "the notes being typed were not stored",
    });
    assert.ok(await firstNotes.isFocused(), "the notes were stored without leaving the field");

    // a decision on the second item, saved on leaving the field
    await setValue(b, '#agenda [data-index="1"] textarea[data-field="decision"]', DECISION);
    await (await b.$("#meeting-title")).click();
    await b.waitUntil(async () => (await (await b.$('#agenda [data-index="1"]')).getAttribute("class")).includes("decided"), {
      timeout: 10000,
      timeoutMsg: "the decision was not saved",
    });

    // an action item with owner side, owner and due date
    await (await b.$('[data-tab="actions"]')).click();
    await setValue(b, '[name="action-text"]', ACTION);
    await (await b.$('[name="action-side"]')).selectByAttribute("value", "sales");
    await setValue(b, '[name="action-owner"]', "Rob Hendriks");
    await setValue(b, '[name="action-due"]', DUE);
    await (await b.$("#add-action button[type=submit]")).click();
    await waitForText(b, "#meeting-actions td.text", ACTION);
  } finally {
    await app.stop();
  }

  // what the workbook holds, read by another program
  const list = leadplan("meeting", "list", workbook);
  const id = /^\s*(\d+)\s+.*Quarterly review Q1/m.exec(list)?.[1];
  assert.ok(id, `the meeting is listed:\n${list}`);
  const shown = leadplan("meeting", "show", workbook, "--id", id);
  assert.match(shown, new RegExp(`^Quarterly review Q1 — 01/01/${YEAR + 1}$`, "m"));
  assert.match(shown, /^Marketing: Femke Willems$/m);
  assert.match(shown, /^Sales: Rob Hendriks, Sanne de Vries$/m);
  titles.forEach((title, i) => assert.match(shown, new RegExp(`^\\s*${i + 1}\\. ${escape(title)}$`, "m")));
  assert.match(shown, new RegExp(`^\\s+decision: ${DECISION}$`, "m"));
  assert.match(shown, new RegExp(`\\[open\\] ${ACTION} — Rob Hendriks \\(sales\\) ${DUE}$`, "m"));
});

describe("after a restart", () => {
  let app;
  before(async () => {
    app = await startApp({ workbook, home, env });
    await waitForText(app.browser, "#organisation", "Van Dijk Auto Group");
  });
  after(async () => {
    await app?.stop();
  });

  test("the meeting still holds its agenda, decision and action item; its minutes PDF holds them", async () => {
    const b = app.browser;
    await openScreen(b, "meeting");
    await waitForText(b, "#meeting-title", TITLE);
    assert.deepEqual(await agendaTitles(b), titles);
    const decision = await b.$('#agenda [data-index="1"] textarea[data-field="decision"]');
    assert.equal(await decision.getValue(), DECISION);
    await (await b.$('[data-tab="actions"]')).click();
    await waitForText(b, "#meeting-actions td.text", ACTION);
    assert.match(await (await b.$("#meeting-actions td.owner")).getText(), /^Sales\s*Rob Hendriks$/);
    assert.equal(await (await b.$("#meeting-actions td.due")).getText(), DUE);

    await (await b.$("#minutes")).click();
    await waitForText(b, "#meeting-notice", /^Minutes written to .+\.pdf/);
    const path = /^Minutes written to (.+\.pdf)/.exec(await (await b.$("#meeting-notice span")).getText())[1];
    assert.ok(path.startsWith(exports) && existsSync(path), `${path} is written`);
    const text = execFileSync("pdftotext", ["-layout", path, "-"], { encoding: "utf8" }).replace(/\s+/g, " ");
    for (const expected of [TITLE, "Femke Willems", "Sanne de Vries", ITEM_NOTES, DECISION, ACTION]) {
      assert.ok(text.includes(expected), `the minutes hold "${expected}"`);
    }
  });

  test("an action item is changed in its dialog: another owner and due date, its status kept", async () => {
    const b = app.browser;
    await openScreen(b, "meeting");
    await waitForText(b, "#meeting-title", TITLE);
    await (await b.$('[data-tab="actions"]')).click();
    await (await b.$("#meeting-actions [data-edit-action]")).click();
    const dialog = '[data-dialog="edit-action"]';
    assert.equal(await (await b.$(`${dialog} [name="edit-action-text"]`)).getValue(), ACTION);
    await (await b.$(`${dialog} [name="edit-action-side"]`)).selectByAttribute("value", "marketing");
    await setValue(b, `${dialog} [name="edit-action-owner"]`, "Femke Willems");
    await setValue(b, `${dialog} [name="edit-action-due"]`, `31/01/${YEAR + 1}`);
    await (await b.$("#edit-action-save")).click();
    await (await b.$(dialog)).waitForExist({ timeout: 5000, reverse: true });
    await waitForText(b, "#meeting-actions td.owner", /^Marketing\s*Femke Willems$/);
    assert.equal(await (await b.$("#meeting-actions td.due")).getText(), `31/01/${YEAR + 1}`);
    const id = /^\s*(\d+)\s+.*Quarterly review Q1/m.exec(leadplan("meeting", "list", workbook))?.[1];
    const shown = leadplan("meeting", "show", workbook, "--id", id);
    assert.match(shown, new RegExp(`\\[open\\] ${ACTION} — Femke Willems \\(marketing\\) 31/01/${YEAR + 1}$`, "m"), shown);
  });

  test("editing a definition both sides agreed clears both agreements", async () => {
    const b = app.browser;
    await openScreen(b, "definitions");
    const lead = '[data-term="Lead"]';
    await waitForText(b, `${lead} [data-consent]`, "✓ Agreed by both sides");
    await waitForText(b, `${lead} [data-agreement="marketing"]`, /Femke Willems/);
    await waitForText(b, `${lead} [data-agreement="sales"]`, /Rob Hendriks/);

    await (await b.$(`${lead} [data-edit]`)).click();
    await waitForText(b, `${lead} .warning`, /clears the agreement of both sides/);
    const text = "A person who asked about a specific vehicle or service, left a way to reach them and agreed to be contacted.";
    await setValue(b, `${lead} textarea[name="definition"]`, text);
    await (await b.$(`${lead} [data-save]`)).click();

    await waitForText(b, `${lead} .definition`, text);
    await waitForText(b, `${lead} [data-consent]`, "Not agreed yet");
    await waitForText(b, `${lead} [data-agreement="marketing"]`, /not agreed/);
    await waitForText(b, `${lead} [data-agreement="sales"]`, /not agreed/);
    assert.ok(await (await b.$(`${lead} [data-agree="marketing"]`)).isExisting());
    assert.ok(await (await b.$(`${lead} [data-agree="sales"]`)).isExisting());
    // the other terms keep theirs
    await waitForText(b, '[data-term="Sale"] [data-consent]', "✓ Agreed by both sides");
  });

  test("a meeting is deleted after asking; its action item stays among the open ones", async () => {
    const b = app.browser;
    await openScreen(b, "meeting");
    await waitForText(b, "#meeting-title", TITLE);
    await (await b.$("#meeting-delete")).click();
    await waitForText(b, '[data-dialog="delete-meeting"] p', `Delete “${TITLE}” of 01/01/${YEAR + 1} with its attendees, agenda, notes and decisions?`);
    await waitForText(b, '[data-dialog="delete-meeting"] p.muted', /Its 1 action items stay/);
    await (await b.$("#delete-meeting-confirm")).click();
    // the newest meeting left is shown: the demo's
    await waitForText(b, "#meeting-title", "Monthly lead review");
    assert.doesNotMatch(leadplan("meeting", "list", workbook), /Quarterly review Q1/);
    await (await b.$('[data-tab="actions"]')).click();
    await waitForText(b, "#open-actions", new RegExp(escape(ACTION)));
  });
});

/** `s` as a literal inside a RegExp. */
function escape(s) {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
