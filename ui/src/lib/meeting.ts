// Pure helpers of the Meeting and Definitions screens: the slides of presentation mode and
// their keys, moving agenda items, the period reviewed, who agreed a definition, and the
// names remembered per side.
import type { ActionItemRow } from "../bindings/ActionItemRow";
import type { Agreement } from "../bindings/Agreement";
import type { AgendaItem } from "../bindings/AgendaItem";
import type { Meeting } from "../bindings/Meeting";
import type { MeetingView } from "../bindings/MeetingView";
import type { NewMeeting } from "../bindings/NewMeeting";
import type { Side } from "../bindings/Side";
import { calendarMonth } from "./grid";

/** The shared charts, in the renderer's order (`ChartId::ALL`); presentation mode ends with them. */
export const SHARED_CHARTS = [
  "leads_plan_vs_actual",
  "leads_by_source",
  "cumulative_vs_plan",
  "conversion_vs_floor",
  "funnel_by_source",
  "cost_per_lead_and_sale",
  "response_times",
  "contacted_within_sla",
  "lost_without_attempts",
  "stock_vs_sales",
] as const;

export const SIDES: Side[] = ["marketing", "sales"];

/** One slide of presentation mode: an agenda item (with its chart, if any) or a shared chart. */
export type Slide = { kind: "item"; item: AgendaItem } | { kind: "chart"; chart: string };

/** The agenda in order, then the shared charts when the meeting reviews a plan version. */
export function slides(agenda: AgendaItem[], withCharts: boolean): Slide[] {
  const items: Slide[] = [...agenda]
    .sort((a, b) => a.position - b.position)
    .map((item) => ({ kind: "item", item }));
  const charts: Slide[] = withCharts ? SHARED_CHARTS.map((chart) => ({ kind: "chart", chart })) : [];
  return [...items, ...charts];
}

export type SlideMove = "next" | "previous" | "first" | "last" | "leave";

/** What a key does in presentation mode; `null` for keys it leaves alone. */
export function slideMove(key: string): SlideMove | null {
  switch (key) {
    case "ArrowRight":
    case "PageDown":
    case " ":
    case "Spacebar":
      return "next";
    case "ArrowLeft":
    case "PageUp":
      return "previous";
    case "Home":
      return "first";
    case "End":
      return "last";
    case "Escape":
      return "leave";
    default:
      return null;
  }
}

/** The slide shown after `move` from slide `index` of `count`; stays within the deck. */
export function nextSlide(index: number, move: Exclude<SlideMove, "leave">, count: number): number {
  if (count <= 0) return 0;
  const last = count - 1;
  const target = { next: index + 1, previous: index - 1, first: 0, last }[move];
  return Math.min(last, Math.max(0, target));
}

/** Where an agenda item at `position` goes when moved up or down; `null` at either end. */
export function movedPosition(position: number, direction: "up" | "down", count: number): number | null {
  const target = direction === "up" ? position - 1 : position + 1;
  return target < 0 || target >= count ? null : target;
}

/** The plan month index 0..11 of calendar month `month` (1..12) in a year starting in `start`. */
export function planMonthIndex(month: number, start: number): number {
  return (((month - start) % 12) + 12) % 12;
}

/** Today on this computer, as an ISO date (YYYY-MM-DD). */
export function localToday(now: Date = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/**
 * The period a new meeting reviews by default, as plan month indices: from the start of the
 * plan year to the last month completed by `today` (ISO); the whole year once it is over,
 * the first month while it has not begun.
 */
export function defaultPeriod(today: string, year: number, start: number): { from: number; to: number } {
  const [y, m] = today.split("-").map(Number);
  const elapsed = (y - year) * 12 + (m - start); // plan month index of today
  return { from: 0, to: Math.min(11, Math.max(0, elapsed - 1)) };
}

/** The period reviewed as short month names, e.g. "Jan – Apr" (one name for one month). */
export function periodText(from: number, to: number, start: number, monthName: (month: number) => string): string {
  const a = monthName(calendarMonth(from, start));
  return from === to ? a : `${a} – ${monthName(calendarMonth(to, start))}`;
}

/** A meeting as `update_meeting` takes it, with `changes` applied. */
export function meetingInput(m: Meeting, changes: Partial<NewMeeting> = {}): NewMeeting {
  return {
    held_on: m.held_on,
    title: m.title,
    plan_version_id: m.plan_version_id,
    period_from: m.period_from,
    period_to: m.period_to,
    attendees: m.attendees.map((a) => ({ ...a })),
    notes: m.notes,
    ...changes,
  };
}

/**
 * The action items agreed in the meeting, each marked overdue as the backend marked it in the
 * workbook's list of open items (an item that is not open is never overdue).
 */
export function meetingActions(view: MeetingView): ActionItemRow[] {
  const overdue = new Set(view.open_actions.filter((r) => r.overdue).map((r) => r.item.id));
  return view.record.action_items.map((item) => ({ item, overdue: overdue.has(item.id), meeting: null }));
}

/** What is typed about an agenda item. */
export interface ItemTexts {
  title: string;
  notes: string;
  decision: string;
}

export function itemTexts(item: AgendaItem): ItemTexts {
  return { title: item.title, notes: item.notes, decision: item.decision };
}

/**
 * The text fields after the stored item changed to `stored`: a field still as it was last
 * stored (`known`) takes the new stored text; a field typed in since keeps what was typed.
 */
export function mergeTexts(draft: ItemTexts | undefined, known: ItemTexts | undefined, stored: ItemTexts): ItemTexts {
  if (!draft || !known) return { ...stored };
  const pick = (f: keyof ItemTexts) => (draft[f] === known[f] ? stored[f] : draft[f]);
  return { title: pick("title"), notes: pick("notes"), decision: pick("decision") };
}

/** Who agreed a definition or the SLA: both sides, one of them, or none. */
export type Consent = "both" | Side | "none";

export function consent(a: { marketing: Agreement | null; sales: Agreement | null }): Consent {
  if (a.marketing && a.sales) return "both";
  if (a.marketing) return "marketing";
  if (a.sales) return "sales";
  return "none";
}

/** Where the names typed per side are kept between sessions. */
export type NameStore = Pick<Storage, "getItem" | "setItem">;

function defaultStore(): NameStore | null {
  try {
    return typeof localStorage === "undefined" ? null : localStorage;
  } catch {
    return null;
  }
}

const nameKey = (side: Side) => `leadplan.agree.${side}`;

/** The name last typed for `side`, or "". */
export function rememberedName(side: Side, store: NameStore | null = defaultStore()): string {
  try {
    return store?.getItem(nameKey(side)) ?? "";
  } catch {
    return "";
  }
}

export function rememberName(side: Side, name: string, store: NameStore | null = defaultStore()): void {
  try {
    store?.setItem(nameKey(side), name.trim());
  } catch {
    // a full or blocked storage only costs the suggestion next time
  }
}

/**
 * The size to draw a chart at for a box of `width` × `height` CSS pixels: a little smaller than
 * the box, so that the chart, scaled up to fill it, keeps its text large on a projector;
 * rounded so that small changes of the box do not redraw the chart.
 */
export function projectedChartSize(width: number, height: number, enlarge = 1.5): { width: number; height: number } {
  const round = (n: number) => Math.max(240, Math.round(n / enlarge / 40) * 40);
  return { width: round(width), height: round(height) };
}
