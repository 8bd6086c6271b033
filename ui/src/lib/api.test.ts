import { describe, expect, it } from "vitest";
import { toCommandError } from "./api";

describe("command errors", () => {
  it("keep the code, the message and the refused fields", () => {
    const e = toCommandError({
      code: "validation",
      message: "A rate must be between 0 % and 100 %.",
      fields: [{ field: "conversion_floor", message: "A rate must be between 0 % and 100 %." }],
    });
    expect(e.code).toBe("validation");
    expect(e.fieldMessage("conversion_floor")).toBe("A rate must be between 0 % and 100 %.");
    expect(e.fieldMessage("organisation")).toBeUndefined();
  });

  it("turn anything else into an internal error", () => {
    const e = toCommandError("window closed");
    expect(e.code).toBe("internal");
    expect(e.message).toBe("window closed");
  });
});
