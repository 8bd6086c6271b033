// Starts the real Leadplan window through tauri-driver + WebKitWebDriver and hands back a
// WebdriverIO browser. Each start gets its own ports and its own home folders, so runs never
// share state; stop() ends the app and the driver by process id.
import { spawn, execFileSync } from "node:child_process";
import { mkdtempSync, mkdirSync, readdirSync, readFileSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { remote } from "webdriverio";

const ROOT = resolve(import.meta.dirname, "../..");
export const APP = process.env.LEADPLAN_APP ?? join(ROOT, "target/debug/leadplan-desktop");
export const CLI = process.env.LEADPLAN_CLI ?? join(ROOT, "target/debug/leadplan");
const DRIVER = process.env.TAURI_DRIVER ?? join(ROOT, ".tools/bin/tauri-driver");

/** A fresh folder for one test. */
export function tempDir(prefix = "leadplan-e2e-") {
  return mkdtempSync(join(tmpdir(), prefix));
}

function freePort() {
  return new Promise((ok, fail) => {
    const server = net.createServer();
    server.unref();
    server.on("error", fail);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => ok(port));
    });
  });
}

async function waitForPort(port, timeoutMs = 20000) {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const open = await new Promise((ok) => {
      const socket = net.connect(port, "127.0.0.1", () => {
        socket.end();
        ok(true);
      });
      socket.on("error", () => ok(false));
    });
    if (open) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`tauri-driver did not listen on port ${port}`);
}

/** Process ids of running app instances started on `workbook`. */
function appProcesses(workbook) {
  const pids = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmd = readFileSync(`/proc/${entry}/cmdline`, "utf8").split("\0");
      if (cmd[0] === APP && cmd.includes(workbook)) pids.push(Number(entry));
    } catch {
      // the process ended while we looked
    }
  }
  return pids;
}

async function until(check, timeoutMs) {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return check();
}

/** Ends every app on `workbook`: politely, then for sure. */
async function endApps(workbook) {
  for (const pid of appProcesses(workbook)) {
    try {
      process.kill(pid, "SIGTERM");
    } catch {}
  }
  if (!(await until(() => appProcesses(workbook).length === 0, 3000))) {
    for (const pid of appProcesses(workbook)) {
      try {
        process.kill(pid, "SIGKILL");
      } catch {}
    }
    await until(() => appProcesses(workbook).length === 0, 2000);
  }
}

async function launch(workbook, env, args) {
  const port = await freePort();
  const nativePort = await freePort();
  const driver = spawn(DRIVER, ["--port", String(port), "--native-port", String(nativePort)], {
    env,
    stdio: ["ignore", "ignore", "pipe"],
  });
  let driverLog = "";
  driver.stderr.on("data", (d) => (driverLog += d));
  const exited = new Promise((ok) => driver.on("exit", ok));
  const stopDriver = async () => {
    driver.kill("SIGTERM");
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
    driver.stderr.destroy();
  };
  try {
    await waitForPort(port);
    const browser = await remote({
      hostname: "127.0.0.1",
      port,
      logLevel: "error",
      connectionRetryCount: 2,
      capabilities: {
        "wdio:enforceWebDriverClassic": true,
        "tauri:options": { application: APP, args: [workbook, ...args] },
      },
    });
    await browser.setTimeout({ implicit: 0 });
    return { browser, stopDriver };
  } catch (e) {
    await stopDriver();
    await endApps(workbook);
    throw new Error(`could not start the app: ${e.message}\n${driverLog}`);
  }
}

/**
 * Starts the app on `workbook` (created with demo data if it does not exist), with its
 * app-data and config folders inside `home`, `env` added to its environment and `args`
 * after the workbook on its command line. A start that fails (a busy machine can drop the
 * first WebDriver connection) is tried once more.
 */
export async function startApp({ workbook, home, env: extra = {}, args = [] }) {
  mkdirSync(join(home, "data"), { recursive: true });
  mkdirSync(join(home, "config"), { recursive: true });
  const env = {
    ...process.env,
    XDG_DATA_HOME: join(home, "data"),
    XDG_CONFIG_HOME: join(home, "config"),
    LEADPLAN_WORKBOOK: workbook,
    ...extra,
  };
  await endApps(workbook);
  let started;
  try {
    started = await launch(workbook, env, args);
  } catch (first) {
    console.error(`${first.message}\ntrying once more`);
    started = await launch(workbook, env, args);
  }
  const { browser, stopDriver } = started;
  return {
    browser,
    /** Asks the window to close as its close button does; true once the app has exited. */
    async close(timeoutMs = 10000) {
      for (const pid of appProcesses(workbook)) {
        execFileSync("/usr/bin/python3", [join(ROOT, "tests/e2e/close-window.py"), String(pid)]);
      }
      return this.exited(timeoutMs);
    },
    /** Whether the app has exited within `timeoutMs`. */
    exited(timeoutMs = 10000) {
      return until(() => appProcesses(workbook).length === 0, timeoutMs);
    },
    async stop() {
      await browser.deleteSession().catch(() => {});
      await until(() => appProcesses(workbook).length === 0, 5000);
      await stopDriver();
      await endApps(workbook);
    },
  };
}

/** Waits until the element matching `selector` shows `text` (exactly, or matching a RegExp). */
export async function waitForText(browser, selector, text, timeout = 15000) {
  let last = "";
  try {
    await browser.waitUntil(
      async () => {
        const el = await browser.$(selector);
        if (!(await el.isExisting())) return false;
        last = await el.getText();
        return text instanceof RegExp ? text.test(last) : last === text;
      },
      { timeout, interval: 100 },
    );
  } catch {
    throw new Error(`${selector} shows ${JSON.stringify(last)}, expected ${text}`);
  }
}

/** Replaces an input's text and commits it with Enter. */
export async function typeInto(browser, selector, text) {
  const el = await browser.$(selector);
  await el.waitForExist({ timeout: 10000 });
  await el.click();
  await el.clearValue();
  await el.addValue(text);
  await browser.keys("Enter");
}

/** A new workbook with the demo data, made by the command-line tool, in a folder of its own. */
export function demoWorkbook(name) {
  const home = tempDir();
  const workbook = join(home, name);
  leadplan("new", workbook, "--demo");
  return { home, workbook };
}

/** Runs the leadplan command-line tool and returns its standard output. */
export function leadplan(...args) {
  return execFileSync(CLI, args, { encoding: "utf8" });
}
