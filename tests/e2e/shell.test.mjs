// The desktop shell in the real window: the demo workbook on first start, the settings
// saved at once and kept across restarts, a refused rate that saves nothing, markup shown as
// text, backups, and a workbook opened read-only.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { leadplan, startApp, tempDir, typeInto, waitForText } from "./harness.mjs";

const YEAR = new Date().getFullYear();

test("settings are saved at once and are there after a restart; a rate over 100 % is refused", async () => {
  const home = tempDir();
  const workbook = join(home, "e2e.leadplan");

  let app = await startApp({ workbook, home });
  try {
    const b = app.browser;
    await waitForText(b, "#organisation", "Van Dijk Auto Group");
    assert.equal(await (await b.$("#year")).getValue(), String(YEAR));
    assert.equal(await (await b.$("#workbook-file")).getText(), "e2e.leadplan");

    await (await b.$('button[data-screen="settings"]')).click();
    await typeInto(b, '[name="organisation"]', "Autohaus Lindner GmbH");
    await waitForText(b, "#organisation", "Autohaus Lindner GmbH");
    await typeInto(b, '[name="conversion_floor"]', "17");
    await waitForText(b, "#msg-conversion_floor", /Saved/);

    await typeInto(b, '[name="sla.two_way_contact_target"]', "150");
    await waitForText(b, '[data-error-for="sla.two_way_contact_target"]', "A rate must be between 0 % and 100 %.");
    const field = await b.$('[name="sla.two_way_contact_target"]');
    assert.equal(await field.getAttribute("aria-invalid"), "true");
  } finally {
    await app.stop();
  }

  // what the workbook file holds, read by another program
  const stored = JSON.parse(leadplan("info", workbook, "--json")).overview.settings;
  assert.equal(stored.organisation, "Autohaus Lindner GmbH");
  assert.equal(stored.conversion_floor, 0.17);
  assert.equal(stored.sla.two_way_contact_target, 0.6, "the refused rate must not be saved");

  app = await startApp({ workbook, home });
  try {
    const b = app.browser;
    await waitForText(b, "#organisation", "Autohaus Lindner GmbH");
    await (await b.$('button[data-screen="settings"]')).click();
    const floor = await b.$('[name="conversion_floor"]');
    await floor.waitForExist({ timeout: 10000 });
    assert.equal(await floor.getValue(), "17");
    assert.equal(await (await b.$('[name="sla.two_way_contact_target"]')).getValue(), "60");
  } finally {
    await app.stop();
  }
});

test("every screen is reachable from the navigation and by Ctrl+number; F1 lists the keyboard shortcuts", async () => {
  const home = tempDir();
  const app = await startApp({ workbook: join(home, "nav.leadplan"), home });
  try {
    const b = app.browser;
    await waitForText(b, "#organisation", "Van Dijk Auto Group");
    for (const [screen, title] of [
      ["plan", "Plan"],
      ["actuals", "Actuals"],
      ["dashboard", "Dashboard"],
      ["meeting", "Meeting"],
      ["definitions", "Definitions"],
      ["reports", "Reports"],
      ["settings", "Settings"],
    ]) {
      await (await b.$(`button[data-screen="${screen}"]`)).click();
      await waitForText(b, "main h1", title);
    }
    await b.keys(["Control", "1"]);
    await waitForText(b, "main h1", "Plan");

    const dialog = '[data-dialog="shortcuts"]';
    await b.keys(["F1"]);
    await waitForText(b, `${dialog} h2`, "Keyboard shortcuts");
    await waitForText(b, `${dialog} [data-shortcut="shortcuts.screens"]`, /^Ctrl\+1 … 7\s*Go to a screen \(Plan … Settings\)$/);
    await waitForText(b, `${dialog} [data-shortcut="shortcuts.redo"]`, /^Ctrl\+Shift\+Z\s*\/\s*Ctrl\+Y\s*Redo$/);
    await b.keys(["Escape"]);
    await (await b.$(dialog)).waitForExist({ timeout: 5000, reverse: true });
    await (await b.$("#show-shortcuts")).click();
    await (await (await b.$(dialog)).$("button=Close")).click();
    await (await b.$(dialog)).waitForExist({ timeout: 5000, reverse: true });
  } finally {
    await app.stop();
  }
});

test("markup in user text is shown as text, and the page runs no inline or injected script", async () => {
  const home = tempDir();
  const app = await startApp({ workbook: join(home, "xss.leadplan"), home });
  try {
    const b = app.browser;
    await waitForText(b, "#organisation", "Van Dijk Auto Group");
    await (await b.$('button[data-screen="settings"]')).click();
    const hostile = `<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>`;
    await typeInto(b, '[name="organisation"]', hostile);
    await waitForText(b, "#organisation", hostile);
    assert.equal(await b.execute(() => document.querySelectorAll("#organisation img, #organisation script").length), 0);
    // the content security policy blocks inline script even when it gets into the page
    const ran = await b.execute(() => {
      const s = document.createElement("script");
      s.textContent = "window.__inline = 1";
      document.head.appendChild(s);
      return window.__inline === 1 || window.__pwned !== undefined;
    });
    assert.equal(ran, false);
  } finally {
    await app.stop();
  }
});

test("a backup taken in Settings restores the workbook as it was", async () => {
  const home = tempDir();
  const workbook = join(home, "backups.leadplan");
  const app = await startApp({ workbook, home });
  try {
    const b = app.browser;
    await waitForText(b, "#organisation", "Van Dijk Auto Group");
    await (await b.$('button[data-screen="settings"]')).click();
    await (await b.$("#backup-now")).click();
    await waitForText(b, "#backup-message", "Backup taken.");
    const manual = await b.$('tr[data-backup-reason="manual"]');
    assert.ok(await manual.isExisting(), "the backup is listed");

    await typeInto(b, '[name="organisation"]', "Renamed after the backup");
    await waitForText(b, "#organisation", "Renamed after the backup");

    await (await manual.$("button")).click();
    // the restore asks first
    await (await b.$("#restore-confirm")).click();
    await waitForText(b, "#organisation", "Van Dijk Auto Group");
    await waitForText(b, "#backup-message", /^Restored\./);
    // the state before the restore was kept as a backup too
    assert.ok(await (await b.$('tr[data-backup-reason="restore"]')).isExisting());
  } finally {
    await app.stop();
  }
  const stored = JSON.parse(leadplan("info", workbook, "--json")).overview.settings;
  assert.equal(stored.organisation, "Van Dijk Auto Group");
});

test("a workbook opened read-only is shown, marked read-only, and not changed", async () => {
  const home = tempDir();
  const workbook = join(home, "viewer.leadplan");
  leadplan("new", workbook, "--demo");
  const hash = () => createHash("sha256").update(readFileSync(workbook)).digest("hex");
  const before = hash();
  const app = await startApp({ workbook, home, args: ["--read-only"] });
  try {
    const b = app.browser;
    await waitForText(b, "#organisation", "Van Dijk Auto Group");
    await waitForText(b, "#read-only", "read-only");
    // every screen can be looked at, and none tries to write on its own
    for (const screen of ["plan", "actuals", "meeting", "definitions", "reports", "dashboard"]) {
      await (await b.$(`button[data-screen="${screen}"]`)).click();
      await (await b.$(`[data-screen-body="${screen}"]`)).waitForExist({ timeout: 10000 });
      await b.pause(500);
      const text = await (await b.$("body")).getText();
      assert.ok(!text.includes("nothing can be changed"), `${screen} tried to write`);
    }
    await b.waitUntil(async () => (await b.$$('[data-chart-card] [data-ready="true"] > svg')).length === 10, {
      timeout: 30000,
      timeoutMsg: "the dashboard draws its charts",
    });
    // nothing can be changed
    await (await b.$('button[data-screen="settings"]')).click();
    await (await b.$("#settings-read-only")).waitForExist({ timeout: 10000 });
    assert.equal(await (await b.$('[name="organisation"]')).isEnabled(), false);
    assert.equal(await (await b.$("#setting-locale")).isEnabled(), false);
  } finally {
    await app.stop();
  }
  assert.equal(hash(), before, "the file is byte-identical");
});
