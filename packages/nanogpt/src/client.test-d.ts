import { describe, expectTypeOf, it } from "vitest";
import { createNanoGPTFetchClient } from "./fetch.js";
import { createNanoGPTClient, type NanoGPTRequestBilling, type NanoGPTRequestBillingPath } from "./index.js";

describe("NanoGPT client types", () => {
  const client = createNanoGPTClient({ apiKey: "k" });
  it("types getGeneration and its path", () => {
    expectTypeOf(client.getGeneration).returns.resolves.toEqualTypeOf<NanoGPTRequestBilling>();
    expectTypeOf<NanoGPTRequestBillingPath>().toEqualTypeOf<{ request_id: string }>();
    // @ts-expect-error the id is a string
    void client.getGeneration(123);
  });
  it("rejects wrong parameters on the raw client", () => {
    const raw = createNanoGPTFetchClient({ apiKey: "k" });
    // @ts-expect-error request_id is required
    void raw.GET("/usage/requests/{request_id}", { params: { path: {} } });
    // @ts-expect-error unknown option
    void createNanoGPTClient({ apikey: "k" });
  });
});
