import { describe, expect, it } from "vitest";
import { askBeforeClosing, holdTyping, mayClose, storeTyping } from "./typing";

describe("storing typed text before the window closes", () => {
  it("runs every registered store and waits for them", async () => {
    const stored: string[] = [];
    const stopNotes = holdTyping(async () => {
      await new Promise((r) => setTimeout(r, 20));
      stored.push("notes");
    });
    const stopDecision = holdTyping(async () => {
      stored.push("decision");
    });
    await storeTyping();
    expect(stored.sort()).toEqual(["decision", "notes"]);
    stopNotes();
    stopDecision();
  });

  it("forgets a store once unregistered", async () => {
    let calls = 0;
    const stop = holdTyping(async () => {
      calls += 1;
    });
    stop();
    await storeTyping();
    expect(calls).toBe(0);
  });

  it("gives up on a store that hangs or fails after the limit, so the window still closes", async () => {
    const stopHung = holdTyping(() => new Promise<void>(() => {}));
    const stopFailed = holdTyping(() => Promise.reject(new Error("disk full")));
    const started = Date.now();
    await storeTyping(50);
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
    expect(Date.now() - started).toBeLessThan(1000);
    stopHung();
    stopFailed();
  });
});

describe("questions before the window closes", () => {
  it("closes when every question allows it, and stops at the first that keeps the window open", async () => {
    const asked: string[] = [];
    const stopYes = askBeforeClosing(async () => {
      asked.push("yes");
      return true;
    });
    expect(await mayClose()).toBe(true);
    const stopNo = askBeforeClosing(async () => {
      asked.push("no");
      return false;
    });
    const stopLater = askBeforeClosing(async () => {
      asked.push("later");
      return true;
    });
    expect(await mayClose()).toBe(false);
    expect(asked).toEqual(["yes", "yes", "no"]);
    stopNo();
    expect(await mayClose()).toBe(true);
    stopYes();
    stopLater();
  });
});
