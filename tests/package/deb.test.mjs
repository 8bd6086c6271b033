// The Debian package that `make package` builds: the app and the `leadplan` command, a
// desktop entry and icons, and a command that works from the unpacked package.
//   node --test tests/package/deb.test.mjs   (after `make package`)
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const DEBS = join(ROOT, "target/release/bundle/deb");
const deb = join(DEBS, readdirSync(DEBS).find((f) => f.endsWith(".deb")) ?? "missing.deb");
const dpkg = (...args) => execFileSync("dpkg-deb", args, { encoding: "utf8" });

// the width and height a PNG declares in its header
function pngSize(path) {
  const b = readFileSync(path);
  assert.equal(b.subarray(1, 4).toString("latin1"), "PNG", `${path} is a PNG`);
  return [b.readUInt32BE(16), b.readUInt32BE(20)];
}

test("the package declares what it needs", () => {
  assert.equal(dpkg("-f", deb, "Package").trim(), "leadplan");
  assert.match(dpkg("-f", deb, "Depends"), /libwebkit2gtk-4\.1-0/);
  assert.match(dpkg("-f", deb, "Description"), /lead plan/);
});

test("the package holds the app, the command, a desktop entry for workbooks and its icons", () => {
  const dir = mkdtempSync(join(tmpdir(), "leadplan-deb-"));
  dpkg("-x", deb, dir);
  const entry = readFileSync(join(dir, "usr/share/applications/Leadplan.desktop"), "utf8");
  for (const line of [
    "Type=Application",
    "Name=Leadplan",
    "Exec=leadplan-desktop %F",
    "Icon=leadplan-desktop",
    "MimeType=application/x-leadplan;",
  ]) {
    assert.ok(entry.split("\n").includes(line), `the desktop entry has ${line}:\n${entry}`);
  }
  // workbooks are known to the desktop by their extension, so a double-click opens them
  const mime = readFileSync(join(dir, "usr/share/mime/packages/leadplan.xml"), "utf8");
  assert.match(mime, /<mime-type type="application\/x-leadplan">[\s\S]*<glob pattern="\*\.leadplan"/);
  for (const size of [32, 64, 128, 512]) {
    const icon = join(dir, `usr/share/icons/hicolor/${size}x${size}/apps/leadplan-desktop.png`);
    assert.deepEqual(pngSize(icon), [size, size]);
  }
  const app = readFileSync(join(dir, "usr/bin/leadplan-desktop"));
  assert.equal(app.subarray(0, 4).toString("latin1"), "\x7fELF", "the app is an executable");

  // the packaged command works on its own
  const leadplan = join(dir, "usr/bin/leadplan");
  const workbook = join(dir, "demo.leadplan");
  execFileSync(leadplan, ["new", workbook, "--demo"]);
  const info = JSON.parse(execFileSync(leadplan, ["info", workbook, "--json"], { encoding: "utf8" }));
  assert.equal(info.overview.settings.organisation, "Van Dijk Auto Group");
  assert.ok(info.overview.lead_count > 1000, `the demo has leads: ${info.overview.lead_count}`);
});
