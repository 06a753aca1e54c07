import { describe, expectTypeOf, it } from "vitest";
import { createHeliconeFetchClient } from "./fetch.js";
import { createHeliconeClient, type HeliconeRequestPath, type HeliconeRequestResult } from "./index.js";

describe("Helicone client types", () => {
  const client = createHeliconeClient({ apiKey: "k" });
  it("types getGeneration and its path", () => {
    expectTypeOf(client.getGeneration).returns.resolves.toEqualTypeOf<HeliconeRequestResult>();
    expectTypeOf<HeliconeRequestPath>().toEqualTypeOf<{ requestId: string }>();
    // @ts-expect-error the id is a string
    void client.getGeneration(123);
  });
  it("rejects wrong parameters on the raw client", () => {
    const raw = createHeliconeFetchClient({ apiKey: "k" });
    // @ts-expect-error requestId is required
    void raw.GET("/v1/request/{requestId}", { params: { path: {} } });
    // @ts-expect-error unknown option
    void createHeliconeClient({ apikey: "k" });
  });
});
