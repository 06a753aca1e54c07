import { describe, expect, it } from "vitest";
import { clean, escapeControls, toJson } from "./text.js";

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

  it("escapeControls shows ESC, BEL, C1 and bidi controls as escapes, and leaves the rest as it is", () => {
    const shown = escapeControls("gen-\u001b]0;pwned\u0007x\u001b[2J é");
    expect(shown).toBe("gen-\\u001b]0;pwned\\u0007x\\u001b[2J é");
    // biome-ignore lint/suspicious/noControlCharactersInRegex: no control character may be printed
    expect(shown).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
    expect(escapeControls(hostile)).toBe("gpt\\u009b31m-4o\\u202eevil\\u2066x");
  });
});
