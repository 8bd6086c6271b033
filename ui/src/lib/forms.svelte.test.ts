import { flushSync } from "svelte";
import { describe, expect, it } from "vitest";
import { keptForm, workbookShown } from "./forms.svelte";
import { storeTyping } from "./typing";

type Topic = { title: string };

/** A form as a component sets it up, for the workbook and meeting in `shown`; `added` records every Add. */
function topicForm(shown: { path: string; meeting: number }, added: string[]) {
  let form!: ReturnType<typeof keptForm<Topic, string>>;
  const destroy = $effect.root(() => {
    form = keptForm("topic", {
      path: () => shown.path,
      id: () => shown.meeting,
      empty: () => ({ title: "" }),
      complete: (f) => f.title.trim() !== "",
      add: async (f, id) => {
        // as a command does: the fields are stored a moment later
        await new Promise((r) => setTimeout(r, 10));
        const entry = `${shown.path}#${id}: ${f.title.trim()}`;
        added.push(entry);
        return entry;
      },
    });
  });
  flushSync();
  return { form, destroy };
}

describe("forms that add something", () => {
  it("keep what was typed while they are not shown, per workbook and meeting", () => {
    const added: string[] = [];
    const shown = $state({ path: "/a.leadplan", meeting: 1 });
    const first = topicForm(shown, added);
    first.form.fields.title = "Budget for Marktplaats";
    flushSync();
    first.destroy();

    const again = topicForm(shown, added);
    expect(again.form.fields.title).toBe("Budget for Marktplaats");
    // another meeting of the same workbook has its own form
    shown.meeting = 2;
    flushSync();
    expect(again.form.fields.title).toBe("");
    again.form.fields.title = "Walk-ins";
    flushSync();
    shown.meeting = 1;
    flushSync();
    expect(again.form.fields.title).toBe("Budget for Marktplaats");
    // and another workbook too
    shown.path = "/b.leadplan";
    flushSync();
    expect(again.form.fields.title).toBe("");
    again.destroy();
    expect(added).toEqual([]);
  });

  it("add stores the fields and empties the form, which is then not kept", async () => {
    const added: string[] = [];
    const shown = $state({ path: "/c.leadplan", meeting: 7 });
    const { form, destroy } = topicForm(shown, added);
    form.fields.title = "  Follow-up times ";
    flushSync();
    expect(form.complete).toBe(true);
    expect(await form.add()).toBe("/c.leadplan#7: Follow-up times");
    flushSync();
    expect(form.fields.title).toBe("");
    expect(form.complete).toBe(false);
    destroy();
    workbookShown("/c.leadplan");
    await storeTyping();
    expect(added).toEqual(["/c.leadplan#7: Follow-up times"]);
  });

  it("before the window closes, adds the complete forms of the open workbook, shown or not", async () => {
    const added: string[] = [];
    const shown = $state({ path: "/d.leadplan", meeting: 1 });
    const { form, destroy } = topicForm(shown, added);
    form.fields.title = "Stock of used cars";
    flushSync();
    shown.meeting = 2;
    flushSync();
    form.fields.title = "   "; // not complete: nothing to add
    flushSync();
    shown.meeting = 3;
    flushSync();
    form.fields.title = "Importer campaign";
    flushSync();
    // a complete form of a workbook that is not open is not added to the open one
    shown.path = "/e.leadplan";
    flushSync();
    form.fields.title = "Other workbook";
    flushSync();
    shown.path = "/d.leadplan";
    flushSync();

    workbookShown("/d.leadplan");
    await storeTyping();
    expect(added.sort()).toEqual(["/d.leadplan#1: Stock of used cars", "/d.leadplan#3: Importer campaign"]);
    // the form shown was emptied, and nothing is added twice
    expect(form.fields.title).toBe("");
    await storeTyping();
    expect(added).toHaveLength(2);
    destroy();
  });
});
