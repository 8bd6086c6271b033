// Closing the window keeps what is being typed: a plan cell, a spend amount and meeting
// notes typed but not yet confirmed are stored before the window closes; a definition being
// edited (saving it clears both agreements) is asked about. The window is closed as its close
// button does (tests/e2e/close-window.py); each figure is then read back from the workbook.
import { test } from "node:test";
import assert from "node:assert/strict";
import { demoWorkbook, leadplan, startApp, waitForText } from "./harness.mjs";

const YEAR = new Date().getFullYear();
const DRAFT = `Re-forecast June ${YEAR}`;

/**
 * Opens the app on a demo workbook, runs `typing` in the window, then closes the window.
 * `typing` may return `{ still }`, keys still being typed while the window closes: closing
 * ends the WebDriver session, so they must end in an error.
 */
async function typeAndClose(name, typing) {
  const { home, workbook } = demoWorkbook(name);
  const app = await startApp({ workbook, home });
  try {
    await waitForText(app.browser, "#organisation", "Van Dijk Auto Group");
    const { still } = (await typing(app.browser, workbook)) ?? {};
    assert.ok(await app.close(), "the app ends after its window is closed");
    if (still) assert.equal(await still, "interrupted", "the window closed while keys were still being typed");
  } finally {
    await app.stop();
  }
  return workbook;
}

/** Replaces an input's text as a user does, without confirming it (the field keeps the focus). */
async function typeOnly(b, selector, text) {
  const el = await b.$(selector);
  await el.waitForExist({ timeout: 10000 });
  await el.click();
  await new Promise((r) => setTimeout(r, 100));
  await b.keys(["Control", "a"]);
  await el.addValue(text);
}

function websiteId(workbook) {
  const info = JSON.parse(leadplan("info", workbook, "--json"));
  return info.overview.sources.find((s) => s.name === "Website").id;
}

test("a plan cell being typed in is stored before the window closes", async () => {
  const workbook = await typeAndClose("plan.leadplan", async (b, wb) => {
    await (await b.$("#version")).selectByVisibleText(DRAFT);
    await waitForText(b, "#plan-version-status", /draft/i);
    await (await b.$('[data-tab="sources"]')).click();
    await typeOnly(b, `input[data-cell="close_rate.${websiteId(wb)}"]`, "45");
  });
  const plan = JSON.parse(leadplan("plan", "export", workbook, "--year", String(YEAR), "--version", DRAFT));
  assert.equal(plan.sources.find((s) => s.name === "Website").close_rate, 0.45);
});

test("a spend amount being typed in is stored before the window closes", async () => {
  let website;
  const workbook = await typeAndClose("spend.leadplan", async (b, wb) => {
    website = websiteId(wb);
    await (await b.$('button[data-screen="actuals"]')).click();
    await (await b.$('[data-tab="spend"]')).click();
    await typeOnly(b, `[data-spend="${website}-1"]`, "1234,50");
  });
  const compare = JSON.parse(leadplan("compare", workbook, "--year", String(YEAR), "--json"));
  const january = compare.cells.find((c) => c.index === 0 && c.source_id === website);
  assert.equal(january.figures.spend.actual, 123450);
});

test("meeting notes being typed are stored before the window closes", async () => {
  const text = "Walk-ins up since the showroom event; keep the Saturday opening hours ".repeat(6).trim();
  const workbook = await typeAndClose("meeting.leadplan", async (b) => {
    await (await b.$('button[data-screen="meeting"]')).click();
    await waitForText(b, "#meeting-title", "Monthly lead review");
    const notes = await b.$('#agenda [data-index="0"] textarea[data-field="notes"]');
    await notes.click();
    await notes.clearValue();
    // the window is asked to close while keys still arrive, so typing never pauses long
    // enough to be stored on its own (0.8 s): only closing stores it
    const still = notes.addValue(text).then(
      () => "finished",
      () => "interrupted",
    );
    await new Promise((r) => setTimeout(r, 500));
    return { still };
  });
  const shown = leadplan("meeting", "show", workbook);
  const firstItem = shown.split(/^\s+2\. /m)[0].split(/^\s+1\. /m)[1] ?? "";
  const stored = /^\s+notes: (.*)$/m.exec(firstItem)?.[1] ?? "";
  assert.ok(stored.length >= 10 && text.startsWith(stored), `the notes typed so far are stored: "${stored}"\n${shown}`);
});

const LEAD = '[data-term="Lead"]';
const QUESTION = '[data-dialog="unsaved-definition"]';

/** Starts the app on `workbook`, shows the Definitions screen, runs `use`, stops the app. */
async function onDefinitions({ home, workbook }, use) {
  const app = await startApp({ workbook, home });
  try {
    const b = app.browser;
    await waitForText(b, "#organisation", "Van Dijk Auto Group");
    await showDefinitions(b);
    await use(b, app);
  } finally {
    await app.stop();
  }
}

/**
 * Answers the closing question. The answer closes the window, so it is clicked a moment after
 * this command has returned: a click whose window closes under it ends in a WebDriver error.
 */
async function answer(b, which) {
  await (await b.$(`${QUESTION} [data-answer="${which}"]`)).waitForExist({ timeout: 5000 });
  await b.execute((selector) => setTimeout(() => document.querySelector(selector).click(), 100), `${QUESTION} [data-answer="${which}"]`);
}

async function showDefinitions(b) {
  await (await b.$('button[data-screen="definitions"]')).click();
  await (await b.$(`${LEAD} [data-consent]`)).waitForExist({ timeout: 10000 });
}

test("a definition being edited is asked about when the window closes: Cancel keeps it open, Save stores it", async () => {
  const wb = demoWorkbook("definition.leadplan");
  const text = "A person who asked about a specific vehicle and left a phone number or an e-mail address.";
  await onDefinitions(wb, async (b, app) => {
    await waitForText(b, `${LEAD} [data-consent]`, "✓ Agreed by both sides");
    await (await b.$(`${LEAD} [data-edit]`)).click();
    await typeOnly(b, `${LEAD} textarea[name="definition"]`, text);

    assert.equal(await app.close(2000), false, "the window stays open while it asks");
    await waitForText(b, `${QUESTION} h2`, "Save the new definition of “Lead”?");
    await (await (await b.$(QUESTION)).$("button=Cancel")).click();
    await (await b.$(QUESTION)).waitForExist({ timeout: 5000, reverse: true });
    assert.equal(await (await b.$(`${LEAD} textarea[name="definition"]`)).getValue(), text, "the text is still being edited");

    assert.equal(await app.close(2000), false);
    await answer(b, "save");
    assert.ok(await app.exited(), "the app ends once the definition is saved");
  });
  await onDefinitions(wb, async (b) => {
    await waitForText(b, `${LEAD} .definition`, text);
    await waitForText(b, `${LEAD} [data-consent]`, "Not agreed yet");
  });
});

test("a definition being edited and a new term survive a change of screen; closing adds the new term and can drop the edit", async () => {
  const wb = demoWorkbook("definitions.leadplan");
  const edited = "Anyone who left a phone number.";
  let before;
  await onDefinitions(wb, async (b, app) => {
    before = await (await b.$(`${LEAD} .definition`)).getText();
    await (await b.$(`${LEAD} [data-edit]`)).click();
    await typeOnly(b, `${LEAD} textarea[name="definition"]`, edited);
    await typeOnly(b, '[name="new-term"]', "Test drive");
    await typeOnly(b, '[name="new-definition"]', "A drive booked for a named person and car.");

    // to the Plan screen and back: the edit is still open, the new term still typed
    await (await b.$('button[data-screen="plan"]')).click();
    await (await b.$('[data-screen-body="plan"]')).waitForExist({ timeout: 10000 });
    await showDefinitions(b);
    assert.equal(await (await b.$(`${LEAD} textarea[name="definition"]`)).getValue(), edited);
    assert.equal(await (await b.$('[name="new-term"]')).getValue(), "Test drive");

    // closing adds the complete new term and asks about the edit: closed without it
    assert.equal(await app.close(2000), false, "the window stays open while it asks");
    await answer(b, "discard");
    assert.ok(await app.exited(), "the app ends once the edit is dropped");
  });
  await onDefinitions(wb, async (b) => {
    await waitForText(b, '[data-term="Test drive"] .definition', "A drive booked for a named person and car.");
    await waitForText(b, `${LEAD} .definition`, before);
    await waitForText(b, `${LEAD} [data-consent]`, "✓ Agreed by both sides");
  });
});

test("an action item, an agenda topic and a rating being typed survive a change of tab and screen, and are added when the window closes; the rating can be deleted", async () => {
  const wb = demoWorkbook("forms.leadplan");
  const action = "Book the showroom for the e-Cross weekend";
  const topic = "Walk-in weekend results";
  const app = await startApp(wb);
  try {
    const b = app.browser;
    await waitForText(b, "#organisation", "Van Dijk Auto Group");
    const tab = async (id) => (await b.$(`[data-tab="${id}"]`)).click();
    await (await b.$('button[data-screen="meeting"]')).click();
    await waitForText(b, "#meeting-title", "Monthly lead review");
    await tab("actions");
    await typeOnly(b, '[name="action-text"]', action);
    await typeOnly(b, '[name="action-owner"]', "Joris Peters");
    await tab("agenda");
    await typeOnly(b, '[name="new-agenda-item"]', topic);
    await tab("feedback");
    await (await b.$('#feedback [data-rating="2"]')).click();
    await typeOnly(b, '[name="feedback-given-by"]', "Lotte de Boer");

    // to the Plan screen and back: every form still holds what was typed
    await (await b.$('button[data-screen="plan"]')).click();
    await (await b.$('[data-screen-body="plan"]')).waitForExist({ timeout: 10000 });
    await (await b.$('button[data-screen="meeting"]')).click();
    await waitForText(b, "#meeting-title", "Monthly lead review");
    await tab("actions");
    assert.equal(await (await b.$('[name="action-text"]')).getValue(), action);
    assert.equal(await (await b.$('[name="action-owner"]')).getValue(), "Joris Peters");
    await tab("feedback");
    assert.equal(await (await b.$('#feedback [data-rating="2"]')).getAttribute("aria-checked"), "true");
    await tab("agenda");
    assert.equal(await (await b.$('[name="new-agenda-item"]')).getValue(), topic);

    assert.ok(await app.close(), "the app ends after its window is closed");
  } finally {
    await app.stop();
  }
  const shown = leadplan("meeting", "show", wb.workbook);
  assert.match(shown, new RegExp(`^\\s+\\d+\\. ${topic}$`, "m"), shown);
  assert.match(shown, new RegExp(`\\[open\\] ${action} — Joris Peters \\(sales\\)`), shown);
  await onDefinitions(wb, async (b) => {
    await waitForText(b, "#feedback-list", /Lotte de Boer/);
    const row = await b.$('//table[@id="feedback-list"]//tr[td[contains(., "Lotte de Boer")]]');
    assert.match(await row.getText(), /★★☆☆☆/);
    // a rating given by mistake is deleted after asking
    const rows = (await b.$$("#feedback-list tbody tr")).length;
    const id = await (await row.$("[data-delete-feedback]")).getAttribute("data-delete-feedback");
    await (await b.$(`#feedback-list [data-delete-feedback="${id}"]`)).click();
    await waitForText(b, '[data-dialog="delete-feedback"] p', /★★☆☆☆, given by Lotte de Boer/);
    await (await b.$("#delete-feedback-confirm")).click();
    await b.waitUntil(async () => (await b.$$("#feedback-list tbody tr")).length === rows - 1, {
      timeout: 10000,
      timeoutMsg: "the rating was not deleted",
    });
    assert.doesNotMatch(await (await b.$("#feedback-list")).getText(), /Lotte de Boer/);
  });
});
