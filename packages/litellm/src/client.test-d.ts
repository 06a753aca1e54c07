import { describe, expectTypeOf, it } from "vitest";
import { createLiteLLMFetchClient } from "./fetch.js";
import { createLiteLLMClient, type LiteLLMSpendLogs, type LiteLLMSpendLogsQuery } from "./index.js";

describe("LiteLLM client types", () => {
  const client = createLiteLLMClient({ apiKey: "k", baseUrl: "http://localhost:4000" });
  it("types getGeneration and its query", () => {
    expectTypeOf(client.getGeneration).returns.resolves.toEqualTypeOf<LiteLLMSpendLogs>();
    expectTypeOf<NonNullable<LiteLLMSpendLogsQuery>["request_id"]>().toEqualTypeOf<string | undefined>();
    // @ts-expect-error the id is a string
    void client.getGeneration(123);
  });
  it("rejects wrong parameters on the raw client", () => {
    const raw = createLiteLLMFetchClient({ apiKey: "k", baseUrl: "http://localhost:4000" });
    // @ts-expect-error no such query parameter
    void raw.GET("/spend/logs", { params: { query: { requestId: "x" } } });
    // @ts-expect-error unknown option
    void createLiteLLMClient({ apikey: "k" });
  });
});
