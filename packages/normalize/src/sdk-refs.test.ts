import { InvalidArgumentError } from "@genledger/core";
import {
  GenerationIdNotFoundError,
  getAllFor,
  getFor,
  MultipleGenerationsError,
  refFromAiSdk,
  refFromOpenAI,
  refFromResult,
  refsFromAiSdk,
} from "@genledger/normalize";
import { describe, expect, it } from "vitest";

// Shapes as the SDKs return them; the real SDKs are exercised in @genledger/testing's sdk tests.
const gatewayResult = {
  text: "hi",
  providerMetadata: { gateway: { generationId: "gen_01KAQ3W5Z9X8J2M4N6P7R8S9T0", routing: {} } },
  response: { id: "aitxt-abc", modelId: "anthropic/claude-sonnet-4" },
};
const openRouterResult = {
  text: "hi",
  providerMetadata: { openrouter: { provider: "Anthropic", usage: {} } },
  response: { id: "gen-1763633730-Xq2kLm", modelId: "anthropic/claude-sonnet-4" },
};
// A generateText run with a tool: three model calls; the top level repeats the last step's metadata.
const step = (n: number) => ({
  text: `step ${n}`,
  providerMetadata: { gateway: { generationId: `gen_01KAQ3W5Z9X8J2M4N6P7R8S9T${n}` } },
  response: { id: `aitxt-${n}` },
});
const multiStep = { ...step(3), steps: [step(1), step(2), step(3)] };
const completion = { id: "gen-1763633730-Xq2kLm", object: "chat.completion", choices: [] };

describe("refFromAiSdk", () => {
  it("reads Vercel AI Gateway's providerMetadata.gateway.generationId", () => {
    expect(refFromAiSdk(gatewayResult)).toEqual({ provider: "vercel", id: "gen_01KAQ3W5Z9X8J2M4N6P7R8S9T0" });
  });

  it("reads OpenRouter's response.id, told by providerMetadata.openrouter or by the provider option", () => {
    expect(refFromAiSdk(openRouterResult)).toEqual({ provider: "openrouter", id: "gen-1763633730-Xq2kLm" });
    expect(refFromAiSdk({ response: { id: "gen-9" } }, { provider: "openrouter" })).toEqual({
      provider: "openrouter",
      id: "gen-9",
    });
  });

  it("says where the id was expected and what the result holds", () => {
    const error = (() => {
      try {
        refFromAiSdk({ text: "hi", providerMetadata: { anthropic: {} }, response: {} });
      } catch (e) {
        return e;
      }
    })() as GenerationIdNotFoundError;
    expect(GenerationIdNotFoundError.isInstance(error)).toBe(true);
    expect(InvalidArgumentError.isInstance(error)).toBe(true);
    expect(error.message).toBe(
      "no generation id: expected providerMetadata.gateway.generationId (Vercel AI Gateway) or response.id (OpenRouter's AI SDK provider, @openrouter/ai-sdk-provider); the result has providerMetadata has anthropic; response.id is absent",
    );
    expect(() => refFromAiSdk(openRouterResult, { provider: "vercel" })).toThrow(
      "expected providerMetadata.gateway.generationId (Vercel AI Gateway)",
    );
    expect(() => refFromAiSdk(Promise.resolve(gatewayResult))).toThrow("got a promise: await it first");
    expect(() => refFromAiSdk(null)).toThrow("got null");
  });
});

describe("multi-step results", () => {
  it("refsFromAiSdk returns every model call's ref in step order", () => {
    const ids = ["gen_01KAQ3W5Z9X8J2M4N6P7R8S9T1", "gen_01KAQ3W5Z9X8J2M4N6P7R8S9T2", "gen_01KAQ3W5Z9X8J2M4N6P7R8S9T3"];
    const refs = ids.map((id) => ({ provider: "vercel", id }));
    expect(refsFromAiSdk(multiStep)).toEqual(refs);
    // A streamText result's `await result.steps`, and one step.
    expect(refsFromAiSdk(multiStep.steps)).toEqual(refs);
    expect(refsFromAiSdk(step(2))).toEqual([refs[1]]);
    expect(refsFromAiSdk({ ...gatewayResult, steps: [gatewayResult] })).toEqual([refFromAiSdk(gatewayResult)]);
  });

  it("refFromAiSdk and refFromResult refuse a result of more than one model call, naming getAllFor", () => {
    for (const read of [
      () => refFromAiSdk(multiStep),
      () => refFromResult(multiStep),
      () => refFromAiSdk(multiStep.steps),
    ]) {
      const error = (() => {
        try {
          read();
        } catch (e) {
          return e;
        }
      })() as MultipleGenerationsError;
      expect(MultipleGenerationsError.isInstance(error)).toBe(true);
      expect(InvalidArgumentError.isInstance(error)).toBe(true);
      expect(error.message).toContain("holds 3 generations");
      expect(error.message).toContain("getAllFor(ledger, result)");
      expect(error.refs).toHaveLength(3);
    }
  });

  it("a streamText result's steps must be awaited; a step without an id is named", () => {
    expect(() => refsFromAiSdk({ steps: Promise.resolve([]) })).toThrow("pass `await result.steps`");
    expect(() => refsFromAiSdk([step(1), { text: "x", providerMetadata: {} }])).toThrow(
      "step 2 of 2: the result has providerMetadata has no keys",
    );
    expect(() => refsFromAiSdk([])).toThrow(GenerationIdNotFoundError);
  });
});

describe("refFromOpenAI", () => {
  it("takes the completion's id as the gateway's generation id", () => {
    expect(refFromOpenAI(completion, "zenmux")).toEqual({ provider: "zenmux", id: completion.id });
  });

  it("refuses a completion without an id", () => {
    expect(() => refFromOpenAI({ object: "chat.completion", id: "" }, "fastrouter")).toThrow(
      "no generation id: expected the completion's `id` (OpenAI SDK pointed at fastrouter); its `id` is absent or empty",
    );
  });
});

describe("refFromResult", () => {
  it("tells an OpenAI completion from an AI SDK result, and asks which gateway served a completion", () => {
    expect(refFromResult(completion, "openrouter")).toEqual({ provider: "openrouter", id: completion.id });
    expect(refFromResult(gatewayResult)).toEqual({ provider: "vercel", id: "gen_01KAQ3W5Z9X8J2M4N6P7R8S9T0" });
    expect(() => refFromResult(completion)).toThrow("pass { provider }");
  });
});

describe("getFor", () => {
  it("looks up the generation behind an SDK result", async () => {
    const { createLedger } = await import("@genledger/normalize");
    const { vercel } = await import("@genledger/normalize/vercel");
    const { openrouter } = await import("@genledger/normalize/openrouter");
    const asked: string[] = [];
    const fetch = async (input: Request | string | URL) => {
      const url = new URL(input instanceof Request ? input.url : input);
      asked.push(`${url.host}${url.pathname}?${url.search.slice(1)}`);
      const id = url.searchParams.get("id") ?? "";
      return Response.json(
        url.host === "ai-gateway.vercel.sh"
          ? { data: { id, total_cost: 0.5, model: "m" } }
          : { data: { id, total_cost: 0.25, model: "m" } },
      );
    };
    const ledger = createLedger({
      providers: [vercel({ apiKey: "test-key-123", fetch }), openrouter({ apiKey: "test-key-123", fetch })],
    });
    expect((await getFor(ledger, gatewayResult)).cost?.amount).toBe("0.5");
    expect((await getFor(ledger, completion, { provider: "openrouter" })).id).toBe(completion.id);
    expect(asked).toEqual([
      "ai-gateway.vercel.sh/v1/generation?id=gen_01KAQ3W5Z9X8J2M4N6P7R8S9T0",
      "openrouter.ai/api/v1/generation?id=gen-1763633730-Xq2kLm",
    ]);
    await expect(getFor(ledger, { text: "no ids here" })).rejects.toThrow("no generation id");
    await expect(getFor(ledger, multiStep)).rejects.toThrow(MultipleGenerationsError);
  });

  it("getAllFor looks up every step, in step order, and rejects with the earliest failed step's error", async () => {
    const { createLedger } = await import("@genledger/normalize");
    const { vercel } = await import("@genledger/normalize/vercel");
    let inFlight = 0;
    let most = 0;
    const fetch = async (input: Request | string | URL) => {
      const id = new URL(input instanceof Request ? input.url : input).searchParams.get("id") ?? "";
      most = Math.max(most, ++inFlight);
      // The first step answers last: the result is still in step order.
      await new Promise((resolve) => setTimeout(resolve, id.endsWith("1") ? 30 : 1));
      inFlight--;
      if (id.endsWith("9")) return Response.json({ error: { message: "nope", type: "not_found" } }, { status: 404 });
      return Response.json({ data: { id, total_cost: Number(`0.${id.at(-1)}`), model: "m" } });
    };
    const ledger = createLedger({ providers: [vercel({ apiKey: "test-key-123", fetch, maxRetries: 0 })] });
    const all = await getAllFor(ledger, multiStep, { concurrency: 2 });
    expect(all.map((g) => g.cost?.amount)).toEqual(["0.1", "0.2", "0.3"]);
    expect(most).toBeLessThanOrEqual(2);
    const withMissing = { steps: [step(1), { ...step(9) }, step(2)] };
    await expect(getAllFor(ledger, withMissing)).rejects.toThrow("404");
    // One OpenAI completion is one generation.
    expect((await getAllFor(ledger, completion, { provider: "vercel" })).map((g) => g.id)).toEqual([completion.id]);
  });
});
