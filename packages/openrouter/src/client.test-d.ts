import { describe, expectTypeOf, it } from "vitest";
import { createOpenRouterClient, type OpenRouterGenerationResponse } from "./index.js";

describe("OpenRouter client types", () => {
  const client = createOpenRouterClient({ apiKey: "test-key-123" });
  it("types getGeneration", () => {
    expectTypeOf(client.getGeneration).returns.resolves.toEqualTypeOf<OpenRouterGenerationResponse>();
    // @ts-expect-error the id is a string
    void client.getGeneration(123);
  });
  it("rejects wrong parameters on the raw client", () => {
    // @ts-expect-error id is required
    void client.GET("/generation", { params: { query: {} } });
    // @ts-expect-error no such path
    void client.GET("/generations", {});
    // @ts-expect-error unknown option
    void createOpenRouterClient({ apikey: "k" });
  });
});
