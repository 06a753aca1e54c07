import { describe, expectTypeOf, it } from "vitest";
import type { OpenRouterGeneration, OpenRouterGenerationQuery, paths } from "./index.js";

describe("generated OpenRouter types", () => {
  it("requires the `id` query parameter as a string", () => {
    expectTypeOf<OpenRouterGenerationQuery>().toEqualTypeOf<{ id: string }>();
    // @ts-expect-error id is required
    const missing: OpenRouterGenerationQuery = {};
    void missing;
  });

  it("has no Authorization header parameter (it is a bearer scheme)", () => {
    expectTypeOf<paths["/generation"]["get"]["parameters"]["header"]>().toEqualTypeOf<undefined>();
  });

  it("keeps documented fields typed and unknown fields allowed", () => {
    expectTypeOf<OpenRouterGeneration["total_cost"]>().toEqualTypeOf<number>();
    expectTypeOf<OpenRouterGeneration["upstream_inference_cost"]>().toEqualTypeOf<number | null | undefined>();
    expectTypeOf<OpenRouterGeneration>().toHaveProperty("api_type");
  });
});
