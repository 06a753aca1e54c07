import { describe, expectTypeOf, it } from "vitest";
import { createFastRouterClient, type FastRouterGeneration } from "./index.js";

describe("FastRouter client types", () => {
  const client = createFastRouterClient({ apiKey: "test-key-123" });
  it("types getGeneration", () => {
    expectTypeOf(client.getGeneration).returns.resolves.toEqualTypeOf<FastRouterGeneration>();
    // @ts-expect-error the id is a string
    void client.getGeneration({ id: "x" });
  });
  it("rejects a wrong body on the raw client", () => {
    // @ts-expect-error generation_id is required
    void client.POST("/api/v1/generation", { body: {} });
    // @ts-expect-error FastRouter reads with POST
    void client.GET("/api/v1/generation", {});
  });
});
