import { describe, expectTypeOf, it } from "vitest";
import { createZenMuxClient, type ZenMuxGeneration } from "./index.js";

describe("ZenMux client types", () => {
  const client = createZenMuxClient({ apiKey: "test-key-123" });
  it("types getGeneration", () => {
    expectTypeOf(client.getGeneration).returns.resolves.toEqualTypeOf<ZenMuxGeneration>();
    // @ts-expect-error the id is a string
    void client.getGeneration(123);
  });
  it("rejects wrong parameters on the raw client", () => {
    // @ts-expect-error id is required
    void client.GET("/management/generation", { params: { query: {} } });
    // @ts-expect-error the deprecated path is not described: nothing calls it
    void client.GET("/generation", { params: { query: { id: "g" } } });
    // @ts-expect-error no such path
    void client.GET("/generations", {});
    // @ts-expect-error unknown option
    void createZenMuxClient({ apikey: "k" });
  });
});
