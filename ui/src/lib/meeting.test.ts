import { describe, expect, it } from "vitest";
import type { ActionItem } from "../bindings/ActionItem";
import type { AgendaItem } from "../bindings/AgendaItem";
import type { Meeting } from "../bindings/Meeting";
import {
  consent,
  itemTexts,
  mergeTexts,
  defaultPeriod,
  localToday,
  meetingActions,
  meetingInput,
  movedPosition,
  nextSlide,
  type NameStore,
  periodText,
  planMonthIndex,
  projectedChartSize,
  rememberName,
  rememberedName,
  SHARED_CHARTS,
  slideMove,
  slides,
} from "./meeting";

function item(id: number, position: number, chart: string | null = null): AgendaItem {
  return { id, meeting_id: 1, position, kind: chart ? "lead_gap" : "other", title: `Item ${id}`, detail: "", notes: "", decision: "", chart };
}

function action(id: number, status: ActionItem["status"] = "open"): ActionItem {
  return { id, meeting_id: 7, text: `Action ${id}`, owner_side: "sales", owner: "Rob", due_on: "2026-01-10", status };
}

const MEETING: Meeting = {
  id: 7,
  held_on: "2026-10-20",
  title: "Monthly lead review",
  plan_version_id: 3,
  period_from: 0,
  period_to: 8,
  attendees: [{ name: "Femke", side: "marketing" }],
  notes: "old notes",
  replan_version_id: null,
  baseline_version_id: null,
};

describe("presentation mode", () => {
  it("shows the agenda in its order, then the ten shared charts", () => {
    const deck = slides([item(5, 1), item(4, 0, "leads_plan_vs_actual")], true);
    expect(deck.length).toBe(2 + 10);
    expect(deck.slice(0, 2).map((s) => (s.kind === "item" ? s.item.id : null))).toEqual([4, 5]);
    expect(deck.slice(2).map((s) => (s.kind === "chart" ? s.chart : null))).toEqual([...SHARED_CHARTS]);
  });

  it("has no chart slides for a meeting without a plan version", () => {
    expect(slides([item(1, 0)], false)).toEqual([{ kind: "item", item: item(1, 0) }]);
  });

  it("reads → PageDown Space as next, ← PageUp as previous and Esc as leave", () => {
    expect(["ArrowRight", "PageDown", " "].map(slideMove)).toEqual(["next", "next", "next"]);
    expect(["ArrowLeft", "PageUp"].map(slideMove)).toEqual(["previous", "previous"]);
    expect(slideMove("Escape")).toBe("leave");
    expect(slideMove("Home")).toBe("first");
    expect(slideMove("End")).toBe("last");
    expect(slideMove("a")).toBeNull();
  });

  it("stays within the deck", () => {
    expect(nextSlide(0, "next", 14)).toBe(1);
    expect(nextSlide(13, "next", 14)).toBe(13);
    expect(nextSlide(0, "previous", 14)).toBe(0);
    expect(nextSlide(5, "last", 14)).toBe(13);
    expect(nextSlide(5, "first", 14)).toBe(0);
    expect(nextSlide(0, "next", 0)).toBe(0);
  });

  it("draws a chart smaller than its box, rounded to 40 px, so its text is enlarged", () => {
    // 1800 / 1.5 = 1200 (a multiple of 40); 820 / 1.5 = 546.7 → 560 (nearest multiple of 40)
    expect(projectedChartSize(1800, 820)).toEqual({ width: 1200, height: 560 });
    // never below the renderer's smallest size
    expect(projectedChartSize(100, 50)).toEqual({ width: 240, height: 240 });
  });
});

describe("the agenda", () => {
  it("moves an item up or down, never past either end", () => {
    expect(movedPosition(2, "up", 5)).toBe(1);
    expect(movedPosition(2, "down", 5)).toBe(3);
    expect(movedPosition(0, "up", 5)).toBeNull();
    expect(movedPosition(4, "down", 5)).toBeNull();
  });
});

describe("the period reviewed", () => {
  it("counts plan months from the first month of the fiscal year", () => {
    expect(planMonthIndex(1, 1)).toBe(0);
    expect(planMonthIndex(4, 4)).toBe(0);
    expect(planMonthIndex(3, 4)).toBe(11); // March closes a year starting in April
    expect(planMonthIndex(12, 7)).toBe(5);
  });

  it("runs by default to the last month completed", () => {
    // 20 October in a calendar year: January (0) to September (8)
    expect(defaultPeriod("2026-10-20", 2026, 1)).toEqual({ from: 0, to: 8 });
    // fiscal year 2026 from April: October is index 6, so April to September (5)
    expect(defaultPeriod("2026-10-20", 2026, 4)).toEqual({ from: 0, to: 5 });
    // in the plan year's first month: that month only; a past year: all of it
    expect(defaultPeriod("2026-01-05", 2026, 1)).toEqual({ from: 0, to: 0 });
    expect(defaultPeriod("2027-02-01", 2026, 1)).toEqual({ from: 0, to: 11 });
    expect(defaultPeriod("2025-12-01", 2026, 1)).toEqual({ from: 0, to: 0 });
  });

  it("is named by its first and last month in the fiscal year", () => {
    const name = (m: number) => ["", "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"][m];
    expect(periodText(0, 3, 1, name)).toBe("Jan – Apr");
    expect(periodText(0, 11, 4, name)).toBe("Apr – Mar");
    expect(periodText(2, 2, 1, name)).toBe("Mar");
  });

  it("today is the local calendar day", () => {
    expect(localToday(new Date(2026, 0, 5, 23, 59))).toBe("2026-01-05");
  });
});

describe("a meeting", () => {
  it("is sent back whole with only the changed fields replaced", () => {
    const input = meetingInput(MEETING, { notes: "new notes" });
    expect(input).toEqual({
      held_on: "2026-10-20",
      title: "Monthly lead review",
      plan_version_id: 3,
      period_from: 0,
      period_to: 8,
      attendees: [{ name: "Femke", side: "marketing" }],
      notes: "new notes",
    });
    expect(input.attendees[0]).not.toBe(MEETING.attendees[0]);
  });

  it("marks its action items overdue exactly where the backend did", () => {
    const rows = meetingActions({
      record: { meeting: MEETING, agenda: [], action_items: [action(1), action(2), action(3, "done")] },
      open_actions: [
        { item: action(2), overdue: true, meeting: "Monthly lead review (20/10/2026)" },
        { item: action(1), overdue: false, meeting: "Monthly lead review (20/10/2026)" },
        { item: action(9), overdue: true, meeting: null },
      ],
    });
    expect(rows.map((r) => [r.item.id, r.overdue])).toEqual([
      [1, false],
      [2, true],
      [3, false],
    ]);
  });
});

describe("agreement", () => {
  const by = { by: "Femke", at: "2026-10-01T10:00:00Z" };

  it("names who agreed", () => {
    expect(consent({ marketing: by, sales: by })).toBe("both");
    expect(consent({ marketing: by, sales: null })).toBe("marketing");
    expect(consent({ marketing: null, sales: by })).toBe("sales");
    expect(consent({ marketing: null, sales: null })).toBe("none");
  });

  it("remembers the last name typed per side", () => {
    const data = new Map<string, string>();
    const store: NameStore = { getItem: (k) => data.get(k) ?? null, setItem: (k, v) => void data.set(k, v) };
    expect(rememberedName("sales", store)).toBe("");
    rememberName("sales", "  Rob Hendriks ", store);
    rememberName("marketing", "Femke Willems", store);
    expect(rememberedName("sales", store)).toBe("Rob Hendriks");
    expect(rememberedName("marketing", store)).toBe("Femke Willems");
  });

  it("forgets nothing and breaks nothing when storage refuses", () => {
    const broken: NameStore = {
      getItem: () => {
        throw new Error("denied");
      },
      setItem: () => {
        throw new Error("full");
      },
    };
    expect(() => rememberName("sales", "Rob", broken)).not.toThrow();
    expect(rememberedName("sales", broken)).toBe("");
    expect(rememberedName("sales", null)).toBe("");
  });
});

describe("typing beside stored texts", () => {
  const stored = { title: "T", notes: "N", decision: "D" };

  it("starts from the stored texts", () => {
    expect(mergeTexts(undefined, undefined, stored)).toEqual(stored);
  });

  it("keeps a field typed in and takes the new stored text of the others", () => {
    const known = { title: "T", notes: "", decision: "" };
    const draft = { title: "T", notes: "typed", decision: "" };
    expect(mergeTexts(draft, known, stored)).toEqual({ title: "T", notes: "typed", decision: "D" });
  });

  it("reads the fields of an agenda item", () => {
    expect(itemTexts({ ...item(1, 0), notes: "n", decision: "d" })).toEqual({ title: "Item 1", notes: "n", decision: "d" });
  });
});
