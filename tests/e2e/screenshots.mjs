// Screenshots of the real window for the README and the user guide:
//   make screenshots   (runs this under Xvfb at 1280×800)
import { mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { startApp, tempDir, waitForText } from "./harness.mjs";

const out = resolve(process.argv[2] ?? "docs/screenshots");
mkdirSync(out, { recursive: true });
const home = tempDir();
const app = await startApp({ workbook: join(home, "Van Dijk Auto Group.leadplan"), home });
try {
  const b = app.browser;
  await waitForText(b, "#organisation", "Van Dijk Auto Group");
  for (const screen of ["plan", "actuals", "dashboard", "meeting", "definitions", "reports", "settings"]) {
    await (await b.$(`button[data-screen="${screen}"]`)).click();
    await b.pause(600);
    // until what the screen loads (the dashboard's charts) has arrived
    await b.waitUntil(async () => !(await (await b.$('[aria-busy="true"]')).isExisting()), { timeout: 20000 });
    if (screen === "reports") {
      // the preview's pages are drawn from the real PDF
      await b.waitUntil(
        () => b.execute(() => [...document.querySelectorAll("img[data-page]")].some((i) => i.complete && i.naturalWidth > 0)),
        { timeout: 60000 },
      );
      await b.pause(500);
    }
    await b.saveScreenshot(join(out, `${screen}.png`));
    console.log(`wrote ${join(out, `${screen}.png`)}`);
  }
  // the meeting's presentation mode, on its first agenda item with the item's chart
  await (await b.$('button[data-screen="meeting"]')).click();
  await (await b.$("#present")).click();
  await (await b.$('#presentation [data-ready="true"]')).waitForExist({ timeout: 20000 });
  await b.saveScreenshot(join(out, "meeting-presentation.png"));
  console.log(`wrote ${join(out, "meeting-presentation.png")}`);
  // the keyboard shortcuts (F1)
  await b.keys(["Escape"]);
  await (await b.$("#presentation")).waitForExist({ timeout: 5000, reverse: true });
  await b.keys(["F1"]);
  await (await b.$('[data-dialog="shortcuts"]')).waitForExist({ timeout: 5000 });
  await b.pause(300);
  await b.saveScreenshot(join(out, "shortcuts.png"));
  console.log(`wrote ${join(out, "shortcuts.png")}`);
} finally {
  await app.stop();
}
