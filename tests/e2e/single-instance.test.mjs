// A second start of the app does not open a second window on the same files: it hands its
// workbook to the running app, which comes to the front and opens it, and ends at once.
// The two instances find each other over a D-Bus session bus, started here for the test.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { join } from "node:path";
import { APP, leadplan, startApp, tempDir, waitForText } from "./harness.mjs";

/** A private D-Bus session bus; resolves to its address and a function that ends it. */
function sessionBus() {
  const daemon = spawn("dbus-daemon", ["--session", "--nofork", "--print-address=1"], {
    stdio: ["ignore", "pipe", "ignore"],
  });
  return new Promise((resolve, reject) => {
    let out = "";
    daemon.on("error", reject);
    daemon.stdout.on("data", (d) => {
      out += d;
      if (out.includes("\n")) resolve({ address: out.trim(), stop: () => daemon.kill("SIGTERM") });
    });
  });
}

test("a second start hands its workbook to the running app and ends", async () => {
  const home = tempDir();
  const first = join(home, "first.leadplan");
  const second = join(home, "second.leadplan");
  leadplan("new", second);
  const bus = await sessionBus();
  const env = { DBUS_SESSION_BUS_ADDRESS: bus.address };
  const app = await startApp({ workbook: first, home, env });
  try {
    const b = app.browser;
    await waitForText(b, "#organisation", "Van Dijk Auto Group");
    assert.equal(await (await b.$("#workbook-file")).getText(), "first.leadplan");

    const started = Date.now();
    const again = spawnSync(APP, [second], {
      env: {
        ...process.env,
        ...env,
        XDG_DATA_HOME: join(home, "data"),
        XDG_CONFIG_HOME: join(home, "config"),
      },
      timeout: 60000,
      encoding: "utf8",
    });
    assert.equal(again.signal, null, `the second start did not end by itself: ${again.stderr}`);
    assert.equal(again.status, 0, again.stderr);
    console.log(`the second start ended after ${Date.now() - started} ms`);

    // the running app opened the workbook the second start was given
    await waitForText(b, "#workbook-file", "second.leadplan");
    await waitForText(b, "#organisation", "My organisation");
  } finally {
    await app.stop();
    bus.stop();
  }
});
