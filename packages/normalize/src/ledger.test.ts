import { AbortError, InvalidArgumentError, NotFoundError, ResponseParseError, ServerError } from "@genledger/core";
import {
  createLedger,
  type GenerationRef,
  parseJsonExact,
  sumCosts,
  toOtelAttributes,
  UnknownProviderError,
} from "@genledger/normalize";
import { fastrouter } from "@genledger/normalize/fastrouter";
import { fromOpenRouter, openrouter } from "@genledger/normalize/openrouter";
import { oxen } from "@genledger/normalize/oxen";
import { zenmux } from "@genledger/normalize/zenmux";
import { createOpenRouterClient } from "@genledger/openrouter";
import { delay, HttpResponse, http } from "msw";
import { describe, expect, it, vi } from "vitest";
import { useMswServer } from "../../../test-utils/msw.js";
import fastrouterBody from "./__fixtures__/fastrouter.json" with { type: "json" };
import openrouterBody from "./__fixtures__/openrouter-full.json" with { type: "json" };
import oxenQueued from "./__fixtures__/oxen-queued.json" with { type: "json" };
import oxenSucceeded from "./__fixtures__/oxen-succeeded.json" with { type: "json" };
import zenmuxBilled from "./__fixtures__/zenmux-billed.json" with { type: "json" };
import zenmuxPending from "./__fixtures__/zenmux-pending.json" with { type: "json" };

const server = useMswServer();

const keys = { apiKey: "test-key-0123456789" };
const urls = {
  openrouter: "https://openrouter.ai/api/v1/generation",
  zenmux: "https://zenmux.ai/api/v1/management/generation",
  fastrouter: "https://api.fastrouter.ai/api/v1/generation",
  oxen: "https://hub.oxen.ai/api/ai/generations",
};
// Fixture ids: an answer for another id than the one asked is an error.
const orId = openrouterBody.data.id;
const oxenId = oxenQueued.generation.generation_id;
const zenId = zenmuxPending.generationId;
/** An Oxen lookup body for `id`, from a fixture. */
const oxenBody = (id: unknown, body: { generation: object } = oxenSucceeded) => ({
  ...body,
  generation: { ...body.generation, generation_id: id },
});
const notFound = () => HttpResponse.json({ error: { code: 404, message: "Generation not found" } }, { status: 404 });

function ledger() {
  return createLedger({
    providers: [openrouter(keys), zenmux(keys), fastrouter(keys), oxen()],
  });
}

/** Serves `responses` in turn (the last one repeats) and counts calls. */
function sequence(method: "get" | "post", url: string, ...responses: Array<() => Response>) {
  let calls = 0;
  server.use(
    http[method](url, () => {
      calls++;
      return (responses[Math.min(calls, responses.length) - 1] as () => Response)();
    }),
  );
  return () => calls;
}

describe("get", () => {
  it("returns one Generation from any configured gateway", async () => {
    sequence("get", urls.openrouter, () => HttpResponse.json(openrouterBody));
    sequence("post", urls.fastrouter, () => HttpResponse.json(fastrouterBody));
    const l = ledger();
    expect((await l.get("openrouter", "gen-3bhGkxlo4XFrqiabUM7NDtwDzWwG")).cost?.amount).toBe("0.0015");
    expect((await l.get("fastrouter", "gen_fr_7f3a9c2e")).usage.totalTokens).toBe(1189);
    expect(l.providers).toEqual(["openrouter", "zenmux", "fastrouter", "oxen"]);
  });

  it("names an unknown provider", async () => {
    const error = await ledger()
      .get("not-a-gateway" as "oxen", "x")
      .catch((e) => e);
    expect(UnknownProviderError.isInstance(error)).toBe(true);
    expect(error.message).toBe(
      'no adapter for provider "not-a-gateway"; configured: openrouter, zenmux, fastrouter, oxen',
    );
    const typo = await ledger()
      .get("openruter" as "oxen", "x")
      .catch((e) => e);
    expect(typo.message).toBe(
      'no adapter for provider "openruter" (did you mean "openrouter"?); configured: openrouter, zenmux, fastrouter, oxen',
    );
  });

  it("refuses a provider configured twice", () => {
    expect(() => createLedger({ providers: [oxen(), oxen()] })).toThrowError(/"oxen" is configured twice/);
  });

  it("without wait, OpenRouter's early 404 is a NotFoundError at once", async () => {
    const calls = sequence("get", urls.openrouter, notFound, () => HttpResponse.json(openrouterBody));
    await expect(ledger().get("openrouter", orId)).rejects.toSatisfy((e) => NotFoundError.isInstance(e));
    expect(calls()).toBe(1);
  });
});

describe("get with wait", () => {
  it("polls through OpenRouter's 404 until the stats are ready", async () => {
    const calls = sequence("get", urls.openrouter, notFound, notFound, notFound, () =>
      HttpResponse.json(openrouterBody),
    );
    const g = await ledger().get("openrouter", orId, { wait: { timeoutMs: 5_000, intervalMs: 10 } });
    expect(g.id).toBe("gen-3bhGkxlo4XFrqiabUM7NDtwDzWwG");
    expect(calls()).toBe(4);
  });

  it("gives up at the deadline with the last error", async () => {
    const calls = sequence("get", urls.openrouter, notFound);
    const started = Date.now();
    const error = await ledger()
      .get("openrouter", orId, { wait: { timeoutMs: 200, intervalMs: 20 } })
      .catch((e) => e);
    expect(NotFoundError.isInstance(error)).toBe(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(200);
    // Polled again after the first miss (how often in 200 ms depends on the machine's load).
    expect(calls()).toBeGreaterThanOrEqual(2);
  });

  it("does not poll through errors that are not 'not ready'", async () => {
    const calls = sequence("get", urls.openrouter, () =>
      HttpResponse.json({ error: { code: 500, message: "down" } }, { status: 500, headers: { "retry-after-ms": "0" } }),
    );
    const error = await ledger()
      .get("openrouter", orId, { wait: { timeoutMs: 2_000, intervalMs: 10 } })
      .catch((e) => e);
    expect(ServerError.isInstance(error)).toBe(true);
    expect(calls()).toBe(3); // the client's own retries, no polling on top
  });

  it("polls an Oxen job until it leaves the queue", async () => {
    const processing = { ...oxenQueued, generation: { ...oxenQueued.generation, status: "processing" } };
    const calls = sequence(
      "get",
      `${urls.oxen}/:id`,
      () => HttpResponse.json(oxenQueued),
      () => HttpResponse.json(processing),
      () => HttpResponse.json(oxenBody(oxenId)),
    );
    const g = await ledger().get("oxen", oxenId, { wait: { timeoutMs: 5_000, intervalMs: 10 } });
    expect(g.status).toBe("succeeded");
    expect(calls()).toBe(3);
  });

  it("returns the in-flight record when the deadline passes", async () => {
    sequence("get", `${urls.oxen}/:id`, () => HttpResponse.json(oxenQueued));
    const g = await ledger().get("oxen", oxenId, { wait: { timeoutMs: 100, intervalMs: 20 } });
    expect(g.status).toBe("queued");
  });

  it("waits for ZenMux billing only when asked", async () => {
    let calls = sequence(
      "get",
      urls.zenmux,
      () => HttpResponse.json(zenmuxPending),
      () => HttpResponse.json({ ...zenmuxBilled, generationId: zenId }),
    );
    const quick = await ledger().get("zenmux", zenId, { wait: { timeoutMs: 5_000, intervalMs: 10 } });
    expect(quick.billing).toBe("pending");
    expect(calls()).toBe(1);
    calls = sequence(
      "get",
      urls.zenmux,
      () => HttpResponse.json(zenmuxPending),
      () => HttpResponse.json({ ...zenmuxBilled, generationId: zenId }),
    );
    const billed = await ledger().get("zenmux", zenId, { wait: { timeoutMs: 5_000, intervalMs: 10, billing: true } });
    expect(billed.billing).toBe("final");
    expect(billed.cost?.amount).toBe("0.0052");
    expect(calls()).toBe(2);
  });

  it("stops waiting when aborted", async () => {
    sequence("get", urls.openrouter, notFound);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const error = await ledger()
      .get("openrouter", orId, { signal: controller.signal, wait: { timeoutMs: 10_000, intervalMs: 1_000 } })
      .catch((e) => e);
    expect(AbortError.isInstance(error)).toBe(true);
  });
});

describe("list", () => {
  it("streams every Oxen generation of every page as Generations", async () => {
    const fetched: string[] = [];
    server.use(
      http.get(urls.oxen, ({ request }) => {
        const page = Number(new URL(request.url).searchParams.get("page"));
        fetched.push(String(page));
        const rows = [0, 1].map((i) => ({ ...oxenSucceeded.generation, generation_id: `p${page}-${i}` }));
        return HttpResponse.json({
          count: 2,
          page_number: page,
          page_size: 2,
          total_entries: 6,
          total_pages: 3,
          total_cost: "0.018",
          generations: rows,
        });
      }),
    );
    const ids: string[] = [];
    for await (const g of ledger().list("oxen", { namespace: "ox", page_size: 2 })) {
      expect(g.provider).toBe("oxen");
      ids.push(g.id);
    }
    expect(ids).toEqual(["p1-0", "p1-1", "p2-0", "p2-1", "p3-0", "p3-1"]);
    expect(fetched).toEqual(["1", "2", "3"]);
  });
});

describe("getMany", () => {
  it("returns every ref exactly once under failures, never exceeding the concurrency bound", async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    const track = async (respond: () => Response) => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await delay(Math.floor(Math.random() * 5));
      inFlight--;
      return respond();
    };
    server.use(
      http.get(urls.openrouter, ({ request }) => {
        const id = new URL(request.url).searchParams.get("id")!;
        return track(() =>
          id.endsWith("7")
            ? notFound()
            : // A few that fail after their retries (each retry backs off 0.5 s, then 1 s, holding its slot).
              id.endsWith("23")
              ? HttpResponse.json(
                  { error: { code: 502, message: "bad" } },
                  { status: 502, headers: { "retry-after-ms": "0" } },
                )
              : HttpResponse.json({ data: { ...openrouterBody.data, id } }),
        );
      }),
      http.get(`${urls.oxen}/:id`, ({ params }) => track(() => HttpResponse.json(oxenBody(params.id)))),
    );
    const refs: GenerationRef<"openrouter" | "oxen">[] = [];
    for (let i = 0; i < 400; i++) refs.push({ provider: i % 2 ? "openrouter" : "oxen", id: `id-${i}` });
    refs.push({ provider: "mystery" as "oxen", id: "id-x" });

    const seen = new Map<string, number>();
    let failures = 0;
    for await (const result of ledger().getMany(refs, { concurrency: 7 })) {
      const key = `${result.ref.provider}:${result.ref.id}`;
      seen.set(key, (seen.get(key) ?? 0) + 1);
      if (result.error) {
        failures++;
      } else {
        expect(result.generation.id).toBe(result.ref.id);
      }
    }
    expect(seen.size).toBe(refs.length);
    expect([...seen.values()].every((n) => n === 1)).toBe(true);
    expect(maxInFlight).toBeLessThanOrEqual(7);
    expect(maxInFlight).toBeGreaterThan(1);
    // ids ending in 7 or 23 fail on OpenRouter (odd i), plus the unknown provider
    const expected = refs.filter((r, i) => i % 2 === 1 && /(7|23)$/.test(r.id)).length + 1;
    expect(failures).toBe(expected);
  });

  it("yields an AbortError for every ref left when aborted", async () => {
    server.use(
      http.get(`${urls.oxen}/:id`, async ({ params }) => {
        await delay(30);
        return HttpResponse.json(oxenBody(params.id));
      }),
    );
    const controller = new AbortController();
    const refs = Array.from({ length: 20 }, (_, i) => ({ provider: "oxen" as const, id: `j${i}` }));
    let count = 0;
    let aborted = 0;
    for await (const result of ledger().getMany(refs, { concurrency: 2, signal: controller.signal })) {
      count++;
      if (count === 3) controller.abort();
      if (result.error && AbortError.isInstance(result.error)) aborted++;
    }
    expect(count).toBe(20);
    expect(aborted).toBeGreaterThanOrEqual(15);
  });

  it("accepts an async iterable of refs", async () => {
    server.use(http.get(`${urls.oxen}/:id`, ({ params }) => HttpResponse.json(oxenBody(params.id))));
    async function* refs() {
      yield { provider: "oxen" as const, id: "a" };
      yield { provider: "oxen" as const, id: "b" };
    }
    const results = [];
    for await (const r of ledger().getMany(refs())) results.push(r.generation?.id);
    expect(results.sort()).toEqual(["a", "b"]);
  });
});

describe("answers that must not become a record", () => {
  it("an answer for another id than the one asked is an error, never booked to the wrong id", async () => {
    sequence("get", urls.openrouter, () => HttpResponse.json({ data: { ...openrouterBody.data, id: "gen-other" } }));
    const error = await ledger()
      .get("openrouter", "gen-asked")
      .catch((e) => e);
    expect(ResponseParseError.isInstance(error)).toBe(true);
    expect(error.message).toContain('"gen-asked"');
    expect(error.message).toContain('"gen-other"');
    const waited = await ledger()
      .get("openrouter", "gen-asked", { wait: { timeoutMs: 1_000, intervalMs: 10 } })
      .catch((e) => e);
    expect(ResponseParseError.isInstance(waited)).toBe(true);
    const results = [];
    for await (const r of ledger().getMany([{ provider: "openrouter", id: "gen-asked" }])) results.push(r);
    expect(ResponseParseError.isInstance(results[0]?.error)).toBe(true);
  });

  it("checks the id of any adapter's answer, not only the built-in clients'", async () => {
    const other = fromOpenRouter({ data: { ...openrouterBody.data, id: "gen-other" } } as never);
    const ledger = createLedger({ providers: [{ provider: "openrouter", get: async () => other }] });
    const error = await ledger.get("openrouter", "gen-asked").catch((e) => e);
    expect(ResponseParseError.isInstance(error)).toBe(true);
    expect(error.message).toBe('openrouter: generation "gen-other" when "gen-asked" was asked');
  });

  it("an empty object or an error envelope with 200 is an error, not a succeeded generation", async () => {
    sequence("post", urls.fastrouter, () => HttpResponse.json({}));
    await expect(ledger().get("fastrouter", "gen_fr_1")).rejects.toSatisfy((e) => ResponseParseError.isInstance(e));
    sequence("post", urls.fastrouter, () => HttpResponse.json({ error: { message: "no such generation", code: 404 } }));
    await expect(ledger().get("fastrouter", "gen_fr_1")).rejects.toThrowError(/no such generation/);
  });
});

describe("exact money end to end", () => {
  // JSON text as the gateway sends it: a number with more digits than a double holds.
  const digits = "0.123456789012345678901";
  const jsonWith = (body: object, placeholder: string) =>
    new HttpResponse(JSON.stringify(body).replace(`"${placeholder}"`, digits), {
      headers: { "content-type": "application/json" },
    });

  it("keeps them through an adapter given parseJson: undefined, and through a mapper fed by a parseJsonExact client", async () => {
    sequence("get", urls.openrouter, () => jsonWith({ data: { ...openrouterBody.data, total_cost: "$" } }, "$"));
    const adapter = openrouter({ ...keys, parseJson: undefined });
    expect((await adapter.get(orId)).cost?.amount).toBe(digits);
    const client = createOpenRouterClient({ ...keys, parseJson: parseJsonExact });
    expect(fromOpenRouter(await client.getGeneration(orId)).cost?.amount).toBe(digits);
    const plain = createOpenRouterClient(keys);
    expect(fromOpenRouter(await plain.getGeneration(orId)).cost?.amount).toBe("0.12345678901234568");
  });

  it("keeps every digit the gateway sent, through each client and the ledger", async () => {
    sequence("get", urls.openrouter, () => jsonWith({ data: { ...openrouterBody.data, total_cost: "$" } }, "$"));
    sequence("get", urls.zenmux, () => jsonWith({ ...zenmuxBilled, generationId: zenId, usage: "$" }, "$"));
    sequence("post", urls.fastrouter, () =>
      jsonWith({ ...fastrouterBody, usage: { ...fastrouterBody.usage, cost: "$" } }, "$"),
    );
    sequence("get", `${urls.oxen}/:id`, () =>
      jsonWith(oxenBody(oxenId, { generation: { ...oxenSucceeded.generation, cost: "$" } }), "$"),
    );
    const l = ledger();
    const amounts = await Promise.all([
      l.get("openrouter", orId),
      l.get("zenmux", zenId),
      l.get("fastrouter", fastrouterBody.id),
      l.get("oxen", oxenId),
    ]);
    expect(amounts.map((g) => g.cost?.amount)).toEqual([digits, digits, digits, digits]);
    // A ZenMux credit is not an Oxen credit: never summed together.
    expect(sumCosts(amounts)).toEqual({
      USD: "0.246913578024691357802",
      "oxen credits": "0.123456789012345678901",
      "zenmux credits": "0.123456789012345678901",
    });
  });
});

describe("options", () => {
  const invalid = (e: unknown) => InvalidArgumentError.isInstance(e);

  it("an unknown option name is an error naming the closest known one", async () => {
    expect(() => createLedger({ providers: [oxen()], provider: oxen() } as never)).toThrowError(
      "unknown createLedger option `provider`: did you mean `providers`?",
    );
    await expect(ledger().get("oxen", oxenId, { wiat: {} } as never)).rejects.toThrowError(
      "unknown get option `wiat`: did you mean `wait`?",
    );
    await expect(ledger().get("oxen", oxenId, { wait: { timeout: 5 } } as never)).rejects.toThrowError(
      "unknown wait option `timeout`: did you mean `timeoutMs`?",
    );
    await expect(
      ledger()
        .getMany([], { concurency: 4 } as never)
        [Symbol.asyncIterator]()
        .next(),
    ).rejects.toThrowError("unknown getMany option `concurency`: did you mean `concurrency`?");
  });

  it("refuses options of the wrong kind", async () => {
    await expect(ledger().get("oxen", oxenId, { signal: "soon" } as never)).rejects.toThrowError(
      'get option `signal` must be an object, got "soon"',
    );
    await expect(ledger().get("oxen", oxenId, { wait: 5000 } as never)).rejects.toThrowError(
      "get option `wait` must be an object, got 5000",
    );
  });

  it("refuses what is not an adapter", () => {
    expect(() => createLedger({ providers: [{}] } as never)).toThrowError(InvalidArgumentError);
    expect(() => createLedger({} as never)).toThrowError(
      "createLedger needs `providers`: an array of adapters such as `openrouter()`",
    );
  });

  it.each([
    { timeoutMs: Number.NaN },
    { timeoutMs: -1 },
    { timeoutMs: Number.POSITIVE_INFINITY },
    { timeoutMs: 2 ** 31 },
    { timeoutMs: "5000" },
    { intervalMs: 0 },
    { intervalMs: Number.NaN },
    { intervalMs: -10 },
    { billing: "yes" },
  ])("wait %j is refused before any request", async (wait) => {
    const calls = sequence("get", urls.openrouter, () => HttpResponse.json(openrouterBody));
    const error = await ledger()
      .get("openrouter", orId, { wait: wait as never })
      .catch((e) => e);
    expect(invalid(error)).toBe(true);
    expect(error.message).toMatch(/^wait option `(timeoutMs|intervalMs|billing)` must be a (number from|boolean)/);
    expect(calls()).toBe(0);
  });

  it.each([0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 1001, "8"])(
    "concurrency %j is refused",
    async (concurrency) => {
      const results = ledger().getMany([{ provider: "oxen", id: oxenId }], { concurrency: concurrency as never });
      await expect(results[Symbol.asyncIterator]().next()).rejects.toThrowError(
        /^getMany option `concurrency` must be a whole number from 1 to 1000, got/,
      );
    },
  );

  it("a wait without timeoutMs still ends: 60 s by default, 6 minutes when waiting for billing", async () => {
    // A clock that moves 20 s per request, so the deadline arrives without waiting for it.
    let now = Date.now();
    const clock = vi.spyOn(Date, "now").mockImplementation(() => now);
    try {
      let calls = sequence("get", urls.openrouter, () => {
        now += 20_000;
        return notFound();
      });
      await expect(ledger().get("openrouter", orId, { wait: { intervalMs: 1 } })).rejects.toSatisfy((e) =>
        NotFoundError.isInstance(e),
      );
      expect(calls()).toBe(3);
      calls = sequence("get", urls.zenmux, () => {
        now += 20_000;
        return HttpResponse.json(zenmuxPending);
      });
      const g = await ledger().get("zenmux", zenId, { wait: { intervalMs: 1, billing: true } });
      expect(g.billing).toBe("pending");
      expect(calls()).toBe(18);
    } finally {
      clock.mockRestore();
    }
  });

  it("every Promise-returning method rejects, never throws synchronously", async () => {
    const l = ledger();
    const attempts = [
      () => l.get("nope" as "oxen", "x"),
      () => l.get("oxen", oxenId, { wait: { timeoutMs: Number.NaN } }),
      () => l.get("oxen", oxenId, null as never),
      () =>
        l
          .list("nope" as "oxen")
          [Symbol.asyncIterator]()
          .next(),
      () =>
        l
          .list("oxen", {}, { signl: null } as never)
          [Symbol.asyncIterator]()
          .next(),
      () => l.getMany([], { concurrency: -1 })[Symbol.asyncIterator]().next(),
    ];
    for (const attempt of attempts) {
      let promise: Promise<unknown> | undefined;
      expect(() => {
        promise = attempt();
      }).not.toThrow();
      await expect(promise).rejects.toSatisfy(invalid);
    }
  });
});

describe("getMany, streaming", () => {
  it("yields each result as it settles, without waiting for the next ref from a slow source", async () => {
    server.use(http.get(`${urls.oxen}/:id`, ({ params }) => HttpResponse.json(oxenBody(params.id))));
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    async function* refs() {
      yield { provider: "oxen" as const, id: "first" };
      await gate; // stdin with nothing more typed yet
      yield { provider: "oxen" as const, id: "second" };
    }
    const results: string[] = [];
    for await (const r of ledger().getMany(refs())) {
      results.push(r.ref.id);
      if (results.length === 1) release();
    }
    expect(results).toEqual(["first", "second"]);
  });

  it("rethrows an error from the source after the results already in", async () => {
    server.use(http.get(`${urls.oxen}/:id`, ({ params }) => HttpResponse.json(oxenBody(params.id))));
    async function* refs() {
      yield { provider: "oxen" as const, id: "a" };
      throw new Error("input broke");
    }
    const results: string[] = [];
    await expect(async () => {
      for await (const r of ledger().getMany(refs())) results.push(r.ref.id);
    }).rejects.toThrow("input broke");
  });
});

describe("toOtelAttributes", () => {
  it("emits the GenAI attributes and the proposed cost attributes", async () => {
    sequence("get", urls.openrouter, () => HttpResponse.json(openrouterBody));
    const g = await ledger().get("openrouter", orId);
    expect(toOtelAttributes(g)).toEqual({
      // The upstream provider that served the call, as the conventions ask; the gateway beside it.
      "gen_ai.provider.name": "infermatic",
      "gen_ai.response.id": "gen-3bhGkxlo4XFrqiabUM7NDtwDzWwG",
      "genledger.gateway": "openrouter",
      "genledger.billing": "final",
      "gen_ai.response.model": "sao10k/l3-stheno-8b",
      "gen_ai.usage.input_tokens": 10,
      "gen_ai.usage.output_tokens": 25,
      "gen_ai.usage.reasoning.output_tokens": 5,
      "gen_ai.usage.cache_read.input_tokens": 3,
      "gen_ai.response.finish_reasons": ["stop"],
      "gen_ai.usage.cost.amount": 0.0015,
      "gen_ai.usage.cost.currency": "USD",
      "gen_ai.usage.cost.source": "provider",
      "genledger.cost.amount": "0.0015",
    });
    // Well-known names where the conventions have one.
    expect(toOtelAttributes({ ...g, upstream: { provider: "Google AI Studio", id: null } } as never)).toMatchObject({
      "gen_ai.provider.name": "gcp.gemini",
    });
    expect(toOtelAttributes({ ...g, upstream: { provider: "xAI", id: null } } as never)).toMatchObject({
      "gen_ai.provider.name": "x_ai",
    });
  });

  it("leaves out an amount a number cannot carry; the exact one stays in the record", () => {
    const g = fromOpenRouter({ data: { ...openrouterBody.data, total_cost: "1e400" } } as never);
    expect(g.cost?.amount).toHaveLength(401);
    expect(toOtelAttributes(g)).not.toHaveProperty("gen_ai.usage.cost.amount");
    expect(toOtelAttributes(g)["gen_ai.usage.cost.currency"]).toBe("USD");
    expect(toOtelAttributes(g)["genledger.cost.amount"]).toBe(g.cost?.amount);
  });

  it("leaves unknown values out", async () => {
    sequence("get", `${urls.oxen}/:id`, () => HttpResponse.json(oxenQueued));
    const attributes = toOtelAttributes(await ledger().get("oxen", oxenId));
    expect(attributes).toEqual({
      "gen_ai.provider.name": "oxen",
      "gen_ai.response.id": "a1b2c3d4-0000-4000-8000-000000000001",
      "genledger.gateway": "oxen",
      "genledger.billing": "pending",
      "gen_ai.response.model": "flux-1-schnell",
    });
  });
});

describe("getOnce", () => {
  it("says whether the record is final, without waiting", async () => {
    const l = ledger();
    const calls = sequence("get", urls.openrouter, notFound, () => HttpResponse.json(openrouterBody));
    const early = await l.getOnce("openrouter", orId);
    expect(early.ready).toBe(false);
    expect(NotFoundError.isInstance(early.notReady)).toBe(true);
    const later = await l.getOnce("openrouter", orId);
    expect(later).toMatchObject({ ready: true, generation: { id: orId } });
    expect(calls()).toBe(2);
  });

  it("counts ZenMux's late billing as not ready only when billing is asked, and Oxen in flight as not ready", async () => {
    const l = ledger();
    sequence("get", urls.zenmux, () => HttpResponse.json(zenmuxPending));
    expect(await l.getOnce("zenmux", zenId)).toMatchObject({ ready: true, generation: { billing: "pending" } });
    expect(await l.getOnce("zenmux", zenId, { billing: true })).toMatchObject({
      ready: false,
      generation: { billing: "pending" },
    });
    sequence("get", `${urls.oxen}/:id`, () => HttpResponse.json(oxenQueued));
    expect(await l.getOnce("oxen", oxenId)).toMatchObject({ ready: false, generation: { status: "queued" } });
  });

  it("rejects any other failure, and a mistyped option", async () => {
    const l = ledger();
    sequence("get", urls.openrouter, () =>
      HttpResponse.json({ error: { code: 500, message: "boom" } }, { status: 500 }),
    );
    await expect(
      createLedger({ providers: [openrouter({ ...keys, maxRetries: 0 })] }).getOnce("openrouter", orId),
    ).rejects.toThrow(ServerError);
    await expect(l.getOnce("openrouter", orId, { biling: true } as never)).rejects.toThrow("did you mean `billing`?");
  });
});

describe("waiting on a gateway that says when to come back", () => {
  const notYet = () =>
    new NotFoundError({
      provider: "nanogpt",
      status: 404,
      message: "NanoGPT 404: not yet",
      body: null,
      retryAfterMs: 30_000,
    });
  const fakeAdapter = (fails: number) => {
    let calls = 0;
    return {
      get calls() {
        return calls;
      },
      adapter: {
        provider: "openrouter" as const,
        isNotReadyError: (e: unknown) => NotFoundError.isInstance(e),
        get: async (id: string) => {
          calls++;
          if (calls <= fails) throw notYet();
          return fromOpenRouter({ ...openrouterBody, data: { ...openrouterBody.data, id } } as never);
        },
      },
    };
  };

  it("polls no sooner than the Retry-After of a not-ready answer (NanoGPT's 30 s), not at its own interval", async () => {
    vi.useFakeTimers();
    try {
      const fake = fakeAdapter(2);
      const ledger = createLedger({ providers: [fake.adapter] });
      const got = ledger.get("openrouter", "gen-1", { wait: { timeoutMs: 120_000, intervalMs: 1000 } });
      await vi.advanceTimersByTimeAsync(29_999);
      expect(fake.calls).toBe(1);
      await vi.advanceTimersByTimeAsync(1);
      expect(fake.calls).toBe(2);
      await vi.advanceTimersByTimeAsync(30_000);
      expect((await got).id).toBe("gen-1");
      expect(fake.calls).toBe(3);
    } finally {
      vi.useRealTimers();
    }
  });

  it("gives up at once with the gateway's answer when it asks to wait past the deadline", async () => {
    vi.useFakeTimers();
    try {
      const fake = fakeAdapter(5);
      const ledger = createLedger({ providers: [fake.adapter] });
      const error = await ledger.get("openrouter", "gen-1", { wait: { timeoutMs: 10_000 } }).catch((e) => e);
      expect(NotFoundError.isInstance(error)).toBe(true);
      expect(error.retryAfterMs).toBe(30_000);
      expect(fake.calls).toBe(1);
    } finally {
      vi.useRealTimers();
    }
  });
});
