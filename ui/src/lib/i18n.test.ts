import { describe, expect, it } from "vitest";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { catalogues, fill } from "./i18n.svelte";

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name: string): string[] => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === "bindings" ? [] : sourceFiles(path);
    return /\.(svelte|ts)$/.test(name) && !name.endsWith(".test.ts") ? [path] : [];
  });
}

describe("the catalogue", () => {
  it("has every key in English, German and Dutch", () => {
    const en = Object.keys(catalogues.en).sort();
    expect(Object.keys(catalogues.de).sort()).toEqual(en);
    expect(Object.keys(catalogues.nl).sort()).toEqual(en);
  });

  it("has every key the UI asks for", () => {
    const root = join(import.meta.dirname, "..");
    const missing: string[] = [];
    for (const file of sourceFiles(root)) {
      const text = readFileSync(file, "utf8");
      for (const m of text.matchAll(/\bt\("([a-z_.0-9]+)"/g)) {
        if (!(m[1] in catalogues.en)) missing.push(`${file}: ${m[1]}`);
      }
      for (const m of text.matchAll(/label: "([a-z_.]+)"/g)) {
        if (!(m[1] in catalogues.en)) missing.push(`${file}: ${m[1]}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it("fills placeholders and leaves unknown ones", () => {
    expect(fill("At most {max} characters.", { max: 120 })).toBe("At most 120 characters.");
    expect(fill("{a} and {b}", { a: "x" })).toBe("x and {b}");
  });
});
