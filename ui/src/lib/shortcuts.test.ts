import { describe, expect, it } from "vitest";
import { catalogues, setLocale } from "./i18n.svelte";
import { KEY_NAMES, SHORTCUTS, keyLabel } from "./shortcuts";

describe("the keyboard shortcuts overview", () => {
  it("has every text in every language", () => {
    const keys = [
      ...SHORTCUTS.flatMap((g) => [g.title, ...g.rows.map((r) => r.what)]),
      ...KEY_NAMES.map((k) => `keys.${k}`),
    ];
    for (const [lang, catalogue] of Object.entries(catalogues)) {
      expect(keys.filter((k) => !(k in catalogue)), lang).toEqual([]);
    }
  });

  it("names the keys as the keyboard of the workbook's language does", () => {
    setLocale("de");
    expect(["Ctrl", "Shift", "PageUp", "Home", "F2", "↑"].map(keyLabel)).toEqual(["Strg", "Umschalt", "Bild ↑", "Pos1", "F2", "↑"]);
    setLocale("en");
    expect(["Ctrl", "Shift", "PageUp", "Home"].map(keyLabel)).toEqual(["Ctrl", "Shift", "Page ↑", "Home"]);
  });
});
