// The keyboard shortcuts shown by Help › Keyboard shortcuts (F1), by where they work. Each
// row lists its key combinations (alternatives), each combination its keys; a key named in
// KEY_NAMES is shown in the workbook's language (Strg, Umschalt … in German).
import { t } from "./i18n.svelte";

export interface ShortcutRow {
  keys: string[][];
  /** i18n key of what the keys do. */
  what: string;
}

export interface ShortcutGroup {
  /** i18n key of where the keys work. */
  title: string;
  rows: ShortcutRow[];
}

/** Keys whose names differ by language: i18n keys `keys.<name>`. */
export const KEY_NAMES = ["Ctrl", "Shift", "Alt", "Enter", "Esc", "Tab", "Space", "PageUp", "PageDown", "Home", "End"];

export function keyLabel(key: string): string {
  return KEY_NAMES.includes(key) ? t(`keys.${key}`) : key;
}

export const SHORTCUTS: ShortcutGroup[] = [
  {
    title: "shortcuts.everywhere",
    rows: [
      { keys: [["Ctrl", "1 … 7"]], what: "shortcuts.screens" },
      { keys: [["Ctrl", "N"]], what: "shortcuts.new" },
      { keys: [["Ctrl", "O"]], what: "shortcuts.open" },
      { keys: [["Ctrl", "Shift", "S"]], what: "shortcuts.save_as" },
      { keys: [["Ctrl", "Q"]], what: "shortcuts.quit" },
      { keys: [["F1"]], what: "shortcuts.help" },
      { keys: [["Esc"]], what: "shortcuts.close_dialog" },
    ],
  },
  {
    title: "shortcuts.plan",
    rows: [
      { keys: [["↑"], ["↓"], ["←"], ["→"]], what: "shortcuts.grid_move" },
      { keys: [["Enter"], ["Shift", "Enter"]], what: "shortcuts.grid_enter" },
      { keys: [["Tab"], ["Shift", "Tab"]], what: "shortcuts.grid_tab" },
      { keys: [["F2"]], what: "shortcuts.grid_edit" },
      { keys: [["Esc"]], what: "shortcuts.grid_escape" },
      { keys: [["Ctrl", "V"]], what: "shortcuts.grid_paste" },
      { keys: [["Ctrl", "Z"]], what: "shortcuts.undo" },
      { keys: [["Ctrl", "Shift", "Z"], ["Ctrl", "Y"]], what: "shortcuts.redo" },
    ],
  },
  {
    title: "shortcuts.fields",
    rows: [
      { keys: [["Enter"]], what: "shortcuts.field_enter" },
      { keys: [["Esc"]], what: "shortcuts.field_escape" },
      { keys: [["↑"], ["↓"]], what: "shortcuts.date_day" },
      { keys: [["PageUp"], ["PageDown"]], what: "shortcuts.date_month" },
    ],
  },
  {
    title: "shortcuts.meeting",
    rows: [
      { keys: [["Alt", "↑"], ["Alt", "↓"]], what: "shortcuts.agenda_move" },
      { keys: [["→"], ["PageDown"], ["Space"]], what: "shortcuts.slide_next" },
      { keys: [["←"], ["PageUp"]], what: "shortcuts.slide_previous" },
      { keys: [["Home"], ["End"]], what: "shortcuts.slide_ends" },
      { keys: [["N"]], what: "shortcuts.slide_notes" },
      { keys: [["Esc"]], what: "shortcuts.slide_leave" },
    ],
  },
];
