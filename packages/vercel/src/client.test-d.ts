import { describe, expectTypeOf, it } from "vitest";
import { createVercelFetchClient } from "./fetch.js";
import {
  createVercelClient,
  type VercelGeneration,
  type VercelGenerationQuery,
  type VercelGenerationResponse,
} from "./index.js";

describe("Vercel AI Gateway client types", () => {
  const client = createVercelClient({ apiKey: "k" });
  it("types getGeneration and its query", () => {
    expectTypeOf(client.getGeneration).returns.resolves.toEqualTypeOf<VercelGenerationResponse>();
    expectTypeOf<VercelGenerationQuery>().toEqualTypeOf<{ id: string }>();
    // @ts-expect-error the id is a string
    void client.getGeneration(123);
  });
  it("types the cost split as optional and nullable, the rest as documented", () => {
    expectTypeOf<VercelGeneration["total_cost"]>().toEqualTypeOf<number>();
    expectTypeOf<VercelGeneration["market_cost"]>().toEqualTypeOf<number | null | undefined>();
    expectTypeOf<VercelGeneration["native_tokens_cache_creation"]>().toEqualTypeOf<number>();
  });
  it("rejects wrong parameters on the raw client", () => {
    const raw = createVercelFetchClient({ apiKey: "k" });
    // @ts-expect-error id is required
    void raw.GET("/generation", { params: { query: {} } });
    // @ts-expect-error no such path
    void raw.GET("/generations", {});
    // @ts-expect-error unknown option
    void createVercelClient({ apikey: "k" });
  });
});
