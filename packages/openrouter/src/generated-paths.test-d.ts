import { describe, expectTypeOf, it } from "vitest";
import type {
  OpenRouterErrorResponse,
  OpenRouterGeneration,
  OpenRouterGenerationQuery,
  OpenRouterProviderResponse,
  paths,
} from "./index.js";

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

  it("types the fields OpenRouter's full description lists (optional unless its docs page guarantees them)", () => {
    expectTypeOf<OpenRouterGeneration["native_tokens_cached"]>().toEqualTypeOf<number | null | undefined>();
    expectTypeOf<OpenRouterGeneration["request_id"]>().toEqualTypeOf<string | null | undefined>();
    expectTypeOf<
      NonNullable<OpenRouterGeneration["provider_responses"]>[number]
    >().toEqualTypeOf<OpenRouterProviderResponse>();
    expectTypeOf<OpenRouterErrorResponse["error"]["code"]>().toEqualTypeOf<number>();
  });
});
