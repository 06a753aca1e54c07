import { describe, expectTypeOf, it } from "vitest";
import type { ZenMuxGeneration, ZenMuxGenerationQuery, ZenMuxNativeTokens } from "./index.js";

describe("generated ZenMux types", () => {
  it("names the query parameter `id`, not the docs heading's `generate_id`", () => {
    expectTypeOf<ZenMuxGenerationQuery>().toEqualTypeOf<{ id: string }>();
  });

  it("keeps ZenMux's own spellings", () => {
    expectTypeOf<ZenMuxGeneration["createAt"]>().toEqualTypeOf<string | undefined>();
    expectTypeOf<NonNullable<ZenMuxNativeTokens["prompt_tokens_details"]>["cached_tokens"]>().toEqualTypeOf<
      number | undefined
    >();
  });
});
