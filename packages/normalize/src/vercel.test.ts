import { fromVercel } from "@genledger/normalize/vercel";
import { describe, expect, it } from "vitest";
import fixture from "./__fixtures__/vercel.json" with { type: "json" };

describe("fromVercel", () => {
  it("maps the recorded body", () => {
    const g = fromVercel(fixture);
    expect(g).toMatchObject({ provider: "vercel", id: fixture.id, raw: fixture });
    // TODO(gateway:new): assert every mapped field.
    expect(g.cost?.amount).toBe("0.0015");
  });

  it("refuses a body without an id", () => {
    expect(() => fromVercel({} as never)).toThrow("vercel: the generation has no `id`");
  });
});
