import { describe, expect, it } from "vitest";
import { clean, toJson } from "./text.js";

// U+009B is a C1 CSI (xterm acts on it in UTF-8), U+202E a right-to-left override.
const hostile = "gpt\u009b31m-4o\u202eevil\u2066x";

describe("gateway text on a terminal", () => {
  it("clean removes C1 controls and bidi overrides", () => {
    expect(clean(hostile)).toBe("gpt-4o evil x");
  });

  it("toJson escapes what a terminal would act on, and stays the same JSON", () => {
    const json = toJson({ model: hostile });
    if (!("text" in json)) throw json.error;
    expect(json.text).not.toMatch(/[\u0080-\u009f\u202a-\u202e\u2066-\u2069]/);
    expect(json.text).toContain("\\u009b");
    expect(JSON.parse(json.text)).toEqual({ model: hostile });
  });
});
