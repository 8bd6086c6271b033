// The screens of the app, in navigation order (Ctrl+1 … Ctrl+7).
export type ScreenId = "plan" | "actuals" | "dashboard" | "meeting" | "definitions" | "reports" | "settings";

export interface ScreenInfo {
  id: ScreenId;
  label: string;
  icon: string;
}

export const SCREENS: ScreenInfo[] = [
  { id: "plan", label: "nav.plan", icon: "▦" },
  { id: "actuals", label: "nav.actuals", icon: "⇩" },
  { id: "dashboard", label: "nav.dashboard", icon: "◔" },
  { id: "meeting", label: "nav.meeting", icon: "☰" },
  { id: "definitions", label: "nav.definitions", icon: "§" },
  { id: "reports", label: "nav.reports", icon: "▤" },
  { id: "settings", label: "nav.settings", icon: "⚙" },
];
