import { describe, expect, it } from "vitest";
import type { AgendaItem } from "../../bindings/AgendaItem";
import { AgendaDrafts } from "./drafts.svelte";

function item(id: number, notes: string, decision = ""): AgendaItem {
  return { id, meeting_id: 1, position: id, kind: "other", title: `Item ${id}`, detail: "", notes, decision, chart: null };
}

describe("agenda texts being typed", () => {
  it("keeps what was typed while the item was being stored", () => {
    const drafts = new AgendaDrafts();
    drafts.sync([item(1, ""), item(2, "")]);
    drafts.texts[1].notes = "Budget capped ";
    const sent = drafts.update(1, 1);
    expect(sent?.notes).toBe("Budget capped ");
    // typed on while the store was under way
    drafts.texts[1].notes = "Budget capped at 5,000";
    // the workbook stores the text as sent, trimmed
    drafts.sync([item(1, "Budget capped"), item(2, "")], 1);
    expect(drafts.texts[1].notes).toBe("Budget capped at 5,000");
    expect(drafts.update(1, 1)?.notes).toBe("Budget capped at 5,000");
  });

  it("takes the stored text of the fields unchanged since they were sent", () => {
    const drafts = new AgendaDrafts();
    drafts.sync([item(1, "", "")]);
    drafts.texts[1].notes = "  Call back today ";
    drafts.update(1, 1);
    drafts.sync([item(1, "Call back today", "")], 1);
    expect(drafts.texts[1].notes).toBe("Call back today");
    expect(drafts.update(1, 1)).toBeNull();
  });

  it("sends nothing when nothing changed, and other items keep what is typed in them", () => {
    const drafts = new AgendaDrafts();
    drafts.sync([item(1, "a"), item(2, "b")]);
    expect(drafts.update(1, 1)).toBeNull();
    drafts.texts[2].decision = "Agreed";
    drafts.texts[1].notes = "a!";
    drafts.update(1, 1);
    drafts.sync([item(1, "a!"), item(2, "b")], 1);
    expect(drafts.texts[2].decision).toBe("Agreed");
    expect(drafts.update(1, 2)?.decision).toBe("Agreed");
  });
});
