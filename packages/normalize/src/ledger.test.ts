import { AbortError, NotFoundError, ServerError } from "@genledger/core";
import { createLedger, type GenerationRef, toOtelAttributes, UnknownProviderError } from "@genledger/normalize";
import { fastrouter } from "@genledger/normalize/fastrouter";
import { openrouter } from "@genledger/normalize/openrouter";
import { oxen } from "@genledger/normalize/oxen";
import { zenmux } from "@genledger/normalize/zenmux";
import { delay, HttpResponse, http } from "msw";
import { describe, expect, it } from "vitest";
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
  zenmux: "https://zenmux.ai/api/v1/generation",
  fastrouter: "https://api.fastrouter.ai/api/v1/generation",
  oxen: "https://hub.oxen.ai/api/ai/generations",
};
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
      .get("nope" as "oxen", "x")
      .catch((e) => e);
    expect(UnknownProviderError.isInstance(error)).toBe(true);
    expect(error.message).toBe('no adapter for provider "nope"; configured: openrouter, zenmux, fastrouter, oxen');
  });

  it("refuses a provider configured twice", () => {
    expect(() => createLedger({ providers: [oxen(), oxen()] })).toThrowError(/"oxen" is configured twice/);
  });

  it("without wait, OpenRouter's early 404 is a NotFoundError at once", async () => {
    const calls = sequence("get", urls.openrouter, notFound, () => HttpResponse.json(openrouterBody));
    await expect(ledger().get("openrouter", openrouterBody.data.id)).rejects.toSatisfy((e) =>
      NotFoundError.isInstance(e),
    );
    expect(calls()).toBe(1);
  });
});

describe("get with wait", () => {
  it("polls through OpenRouter's 404 until the stats are ready", async () => {
    const calls = sequence("get", urls.openrouter, notFound, notFound, notFound, () =>
      HttpResponse.json(openrouterBody),
    );
    const g = await ledger().get("openrouter", openrouterBody.data.id, { wait: { timeoutMs: 5_000, intervalMs: 10 } });
    expect(g.id).toBe("gen-3bhGkxlo4XFrqiabUM7NDtwDzWwG");
    expect(calls()).toBe(4);
  });

  it("gives up at the deadline with the last error", async () => {
    const calls = sequence("get", urls.openrouter, notFound);
    const started = Date.now();
    const error = await ledger()
      .get("openrouter", openrouterBody.data.id, { wait: { timeoutMs: 200, intervalMs: 20 } })
      .catch((e) => e);
    expect(NotFoundError.isInstance(error)).toBe(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(200);
    expect(calls()).toBeGreaterThan(2);
  });

  it("does not poll through errors that are not 'not ready'", async () => {
    const calls = sequence("get", urls.openrouter, () =>
      HttpResponse.json({ error: { code: 500, message: "down" } }, { status: 500, headers: { "retry-after-ms": "0" } }),
    );
    const error = await ledger()
      .get("openrouter", openrouterBody.data.id, { wait: { timeoutMs: 2_000, intervalMs: 10 } })
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
      () =>
        HttpResponse.json({
          ...oxenSucceeded,
          generation: { ...oxenSucceeded.generation, generation_id: oxenQueued.generation.generation_id },
        }),
    );
    const g = await ledger().get("oxen", oxenQueued.generation.generation_id, {
      wait: { timeoutMs: 5_000, intervalMs: 10 },
    });
    expect(g.status).toBe("succeeded");
    expect(calls()).toBe(3);
  });

  it("returns the in-flight record when the deadline passes", async () => {
    sequence("get", `${urls.oxen}/:id`, () => HttpResponse.json(oxenQueued));
    const g = await ledger().get("oxen", oxenQueued.generation.generation_id, {
      wait: { timeoutMs: 100, intervalMs: 20 },
    });
    expect(g.status).toBe("queued");
  });

  it("waits for ZenMux billing only when asked", async () => {
    let calls = sequence(
      "get",
      urls.zenmux,
      () => HttpResponse.json(zenmuxPending),
      () => HttpResponse.json({ ...zenmuxBilled, generationId: zenmuxPending.generationId }),
    );
    const quick = await ledger().get("zenmux", zenmuxPending.generationId, {
      wait: { timeoutMs: 5_000, intervalMs: 10 },
    });
    expect(quick.billing).toBe("pending");
    expect(calls()).toBe(1);
    calls = sequence(
      "get",
      urls.zenmux,
      () => HttpResponse.json(zenmuxPending),
      () => HttpResponse.json({ ...zenmuxBilled, generationId: zenmuxPending.generationId }),
    );
    const billed = await ledger().get("zenmux", zenmuxPending.generationId, {
      wait: { timeoutMs: 5_000, intervalMs: 10, billing: true },
    });
    expect(billed.billing).toBe("final");
    expect(billed.cost?.amount).toBe("0.0052");
    expect(calls()).toBe(2);
  });

  it("stops waiting when aborted", async () => {
    sequence("get", urls.openrouter, notFound);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const error = await ledger()
      .get("openrouter", openrouterBody.data.id, {
        signal: controller.signal,
        wait: { timeoutMs: 10_000, intervalMs: 1_000 },
      })
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
            : id.endsWith("3")
              ? HttpResponse.json(
                  { error: { code: 502, message: "bad" } },
                  { status: 502, headers: { "retry-after-ms": "0" } },
                )
              : HttpResponse.json({ data: { ...openrouterBody.data, id } }),
        );
      }),
      http.get(`${urls.oxen}/:id`, ({ params }) =>
        track(() =>
          HttpResponse.json({
            ...oxenSucceeded,
            generation: { ...oxenSucceeded.generation, generation_id: params.id },
          }),
        ),
      ),
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
    // ids ending in 7 or 3 fail on OpenRouter (odd i), plus the unknown provider
    const expected = refs.filter((r, i) => i % 2 === 1 && /[37]$/.test(r.id)).length + 1;
    expect(failures).toBe(expected);
  });

  it("yields an AbortError for every ref left when aborted", async () => {
    server.use(
      http.get(`${urls.oxen}/:id`, async () => {
        await delay(30);
        return HttpResponse.json(oxenSucceeded);
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
    sequence("get", `${urls.oxen}/:id`, () => HttpResponse.json(oxenSucceeded));
    async function* refs() {
      yield { provider: "oxen" as const, id: "a" };
      yield { provider: "oxen" as const, id: "b" };
    }
    const results = [];
    for await (const r of ledger().getMany(refs())) results.push(r.ref.id);
    expect(results.sort()).toEqual(["a", "b"]);
  });
});

describe("toOtelAttributes", () => {
  it("emits the GenAI attributes and the proposed cost attributes", async () => {
    sequence("get", urls.openrouter, () => HttpResponse.json(openrouterBody));
    const g = await ledger().get("openrouter", openrouterBody.data.id);
    expect(toOtelAttributes(g)).toEqual({
      "gen_ai.provider.name": "openrouter",
      "gen_ai.response.id": "gen-3bhGkxlo4XFrqiabUM7NDtwDzWwG",
      "gen_ai.response.model": "sao10k/l3-stheno-8b",
      "gen_ai.usage.input_tokens": 10,
      "gen_ai.usage.output_tokens": 25,
      "gen_ai.usage.reasoning.output_tokens": 5,
      "gen_ai.usage.cache_read.input_tokens": 3,
      "gen_ai.response.finish_reasons": ["stop"],
      "gen_ai.usage.cost.amount": 0.0015,
      "gen_ai.usage.cost.currency": "USD",
      "gen_ai.usage.cost.source": "provider",
    });
  });

  it("leaves unknown values out", async () => {
    sequence("get", `${urls.oxen}/:id`, () => HttpResponse.json(oxenQueued));
    const attributes = toOtelAttributes(await ledger().get("oxen", oxenQueued.generation.generation_id));
    expect(attributes).toEqual({
      "gen_ai.provider.name": "oxen",
      "gen_ai.response.id": "a1b2c3d4-0000-4000-8000-000000000001",
      "gen_ai.response.model": "flux-1-schnell",
    });
  });
});
