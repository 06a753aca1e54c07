import type { OpenRouterGenerationResponse } from "@genledger/openrouter";
import type { OxenGeneration } from "@genledger/oxen";
import { describe, expectTypeOf, it } from "vitest";
import { createLedger, type Generation, getFor } from "./index.js";
import { openrouter } from "./openrouter.js";
import { oxen } from "./oxen.js";

describe("Generation", () => {
  it("discriminates raw by provider", () => {
    const g = {} as Generation;
    if (g.provider === "openrouter") expectTypeOf(g.raw).toEqualTypeOf<OpenRouterGenerationResponse>();
    if (g.provider === "oxen") expectTypeOf(g.raw).toEqualTypeOf<OxenGeneration>();
    expectTypeOf(g.cost).toEqualTypeOf<Generation["cost"]>();
    expectTypeOf<NonNullable<Generation["cost"]>["amount"]>().toEqualTypeOf<string>();
  });
});

describe("createLedger", () => {
  const ledger = createLedger({ providers: [openrouter(), oxen()] });

  it("types provider names from the configured adapters", () => {
    expectTypeOf(ledger.get("openrouter", "x")).resolves.toEqualTypeOf<Generation<"openrouter">>();
    // @ts-expect-error zenmux is not configured
    void ledger.get("zenmux", "x");
  });

  it("lets only gateways that can list be listed, with their own query", () => {
    expectTypeOf(ledger.list("oxen", { namespace: "ox" })).toEqualTypeOf<AsyncIterable<Generation<"oxen">>>();
    // @ts-expect-error OpenRouter cannot list
    void ledger.list("openrouter");
    // @ts-expect-error page_size is a number
    void ledger.list("oxen", { page_size: "10" });
  });

  it("types getMany results", async () => {
    for await (const r of ledger.getMany([{ provider: "oxen", id: "a" }])) {
      if (r.error === undefined) expectTypeOf(r.generation).toEqualTypeOf<Generation<"oxen">>();
    }
  });

  it("types getFor by the ledger's providers, or by the one named", () => {
    expectTypeOf(getFor(ledger, {})).resolves.toEqualTypeOf<Generation<"openrouter" | "oxen">>();
    expectTypeOf(getFor(ledger, {}, { provider: "openrouter" })).resolves.toEqualTypeOf<Generation<"openrouter">>();
    // @ts-expect-error zenmux is not configured
    void getFor(ledger, {}, { provider: "zenmux" });
  });
});
