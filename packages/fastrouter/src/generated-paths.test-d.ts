import { describe, expectTypeOf, it } from "vitest";
import type { FastRouterGeneration, FastRouterGenerationRequest } from "./index.js";

describe("generated FastRouter types", () => {
  it("requires generation_id in the POST body", () => {
    expectTypeOf<FastRouterGenerationRequest>().toEqualTypeOf<{ generation_id: string }>();
    // @ts-expect-error generation_id is required
    const missing: FastRouterGenerationRequest = {};
    void missing;
  });

  it("makes every response field optional", () => {
    expectTypeOf<FastRouterGeneration["id"]>().toEqualTypeOf<string | undefined>();
    expectTypeOf<NonNullable<FastRouterGeneration["usage"]>["cost"]>().toEqualTypeOf<number | undefined>();
  });
});
