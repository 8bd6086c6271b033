import { call } from "./api";

let told = false;

/**
 * Tells the backend, once, that the first screen shows the workbook's data, after the browser
 * has painted it (`scripts/bench-startup` times this).
 */
export function firstScreenShown(): void {
  if (told) return;
  told = true;
  requestAnimationFrame(() => requestAnimationFrame(() => call("first_screen_shown").catch(() => {})));
}
