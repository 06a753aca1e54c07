import { transportFetch } from "@genledger/core/fetch-client";
import {
  checkLookupAnswer,
  createGateway,
  createLookupClient,
  defineGateway,
  type GatewayDefinition,
  gatewayOrigin,
  InvalidArgumentError,
  type Lookup,
  MissingApiKeyError,
  ResponseParseError,
} from "@genledger/core/internal";
import { describe, expect, it } from "vitest";

interface Paths {
  "/generation": { get: Op<{ query: { id: string } }, { data: { id: string; cost?: number } }> };
  "/jobs/{job_id}": { get: Op<{ path: { job_id: string } }, { job: { job_id?: string } }> };
  "/read": { post: Op<{ query?: never }, { id?: string; model?: string }, { generation_id: string }> };
}
type Op<Params, Body, Request = never> = {
  parameters: Params;
  responses: { 200: { content: { "application/json": Body } } };
} & ([Request] extends [never] ? {} : { requestBody: { content: { "application/json": Request } } });

const common = {
  displayName: "Acme",
  envPrefix: "ACME",
  defaultBaseUrl: "https://acme.test/v1",
  parseError: () => undefined,
};
const acme = defineGateway<Paths>()({
  provider: "acme",
  ...common,
  lookup: { method: "get", path: "/generation", request: (id) => ({ query: { id } }), idAt: "data.id" },
});

/** A client whose `fetch` answers `body` and records what was sent. */
function answering<Body>(body: unknown, definition: GatewayDefinition<Body> = acme as GatewayDefinition<never>) {
  const sent: { url: string; method: string; body: string | null }[] = [];
  const client = createLookupClient(definition, {
    apiKey: "test-key-1234567890",
    fetch: async (input, init) => {
      sent.push({ url: String(input), method: init?.method ?? "GET", body: (init?.body as string) ?? null });
      return Response.json(body);
    },
  });
  return { client, sent };
}

describe("defineGateway", () => {
  it("is a GatewaySpec with its lookup, and needs a key unless it says otherwise", async () => {
    expect(acme).toMatchObject({ provider: "acme", lookup: { method: "get", path: "/generation" } });
    const error = await createLookupClient(acme, { fetch: async () => Response.json({}) })
      .getGeneration("g")
      .catch((e: unknown) => e);
    expect(MissingApiKeyError.isInstance(error)).toBe(true);
  });

  it("looks one generation up: the query from the spec, the answer checked against the id", async () => {
    const { client, sent } = answering({ data: { id: "g-1", cost: 1 } });
    await expect(client.getGeneration("g-1")).resolves.toEqual({ data: { id: "g-1", cost: 1 } });
    expect(sent).toEqual([{ url: "https://acme.test/v1/generation?id=g-1", method: "GET", body: null }]);
    const other = answering({ data: { id: "g-2" } });
    await expect(other.client.getGeneration("g-1")).rejects.toThrowError(
      /answered 200 with generation "g-2" when "g-1" was asked/,
    );
  });

  it("fills path parameters as one URL segment each, and sends a JSON body", async () => {
    const jobs = defineGateway<Paths>()({
      provider: "acme",
      ...common,
      lookup: {
        method: "get",
        path: "/jobs/{job_id}",
        request: (id) => ({ path: { job_id: id } }),
        idAt: "job.job_id",
      },
    });
    const a = answering({ job: { job_id: "a/b ?" } }, jobs);
    await a.client.getGeneration("a/b ?");
    expect(a.sent[0]?.url).toBe("https://acme.test/v1/jobs/a%2Fb%20%3F");
    await expect(a.client.getGeneration("..")).rejects.toSatisfy((e) => InvalidArgumentError.isInstance(e));

    const read = defineGateway<Paths>()({
      provider: "acme",
      ...common,
      lookup: {
        method: "post",
        path: "/read",
        request: (id) => ({ body: { generation_id: id } }),
        idempotent: true,
        // An answer without an id (FastRouter's may have none): the gateway's own check decides.
        check: (body) => ("model" in body ? undefined : "no model"),
      },
    });
    const b = answering({ model: "m" }, read);
    await expect(b.client.getGeneration("g-1")).resolves.toEqual({ model: "m" });
    expect(b.sent[0]).toMatchObject({ method: "POST", body: '{"generation_id":"g-1"}' });
  });

  it("rejects (never throws) an id that is not a non-empty string", async () => {
    const { client } = answering({ data: { id: "x" } });
    let pending: Promise<unknown> | undefined;
    expect(() => {
      pending = client.getGeneration("" as string);
    }).not.toThrow();
    await expect(pending).rejects.toSatisfy((e) => InvalidArgumentError.isInstance(e));
  });
});

describe("checkLookupAnswer", () => {
  const lookup: Pick<Lookup, "idAt" | "check"> = { idAt: "data.id" };
  it("says what is wrong, once for every gateway", () => {
    expect(checkLookupAnswer(lookup, "g", [])).toBe("a body that is not a JSON object");
    expect(checkLookupAnswer(lookup, "g", { data: "x" })).toBe("no `data` object");
    expect(checkLookupAnswer(lookup, "g", { data: { id: 7 } })).toBe("a `data.id` that is not a string");
    expect(checkLookupAnswer(lookup, "g", { data: { id: "h" } })).toBe('generation "h" when "g" was asked');
    expect(checkLookupAnswer(lookup, "g", { data: { id: "g" } })).toBeUndefined();
  });
  it("leaves the id to a quirk's own check, which is given the id asked", () => {
    const optional = {
      check: (b: Record<string, unknown>, id: string) =>
        "model" in b ? (b.id === undefined ? undefined : checkLookupAnswer({ idAt: "id" }, id, b)) : "no model",
    };
    expect(checkLookupAnswer(optional, "g", { model: "m" })).toBeUndefined();
    expect(checkLookupAnswer(optional, "g", { other: 1 })).toBe("no model");
    expect(checkLookupAnswer(optional, "g", { model: "m", id: "h" })).toBe('generation "h" when "g" was asked');
    expect(checkLookupAnswer(optional, "g", [])).toBe("a body that is not a JSON object");
  });
  it("is what a lookup's ResponseParseError says", async () => {
    const { client } = answering({ data: { id: 1 } });
    const error = await client.getGeneration("g").catch((e: unknown) => e);
    expect(ResponseParseError.isInstance(error)).toBe(true);
    expect((error as Error).message).toContain("a `data.id` that is not a string");
  });
});

describe("transportFetch", () => {
  it("rebases requests under gatewayOrigin onto the base URL of the moment, and refuses any other origin", async () => {
    const seen: string[] = [];
    const gateway = createGateway(acme, {
      apiKey: "test-key-1234567890",
      fetch: async (input) => {
        seen.push(String(input));
        return new Response("{}", { headers: { "x-echo": "test-key-1234567890" } });
      },
    });
    const fetch = transportFetch(gateway.transport);
    const answer = await fetch(`${gatewayOrigin}/generation?id=1`);
    expect(seen).toEqual(["https://acme.test/v1/generation?id=1"]);
    // The key is replaced wherever the answer echoes it.
    expect(answer.headers.get("x-echo")).toBe("[redacted]");
    await expect(fetch("https://elsewhere.test/generation")).rejects.toSatisfy((e) =>
      InvalidArgumentError.isInstance(e),
    );
    expect(seen).toHaveLength(1);
  });
});
