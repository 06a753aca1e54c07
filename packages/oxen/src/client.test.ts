import {
  createOxenClient,
  createOxenQueueClient,
  InvalidArgumentError,
  NotFoundError,
  ResponseParseError,
  ServerError,
} from "@genledger/oxen";
import { HttpResponse, http } from "msw";
import { describe, expect, it, vi } from "vitest";
import { useMswServer } from "../../../test-utils/msw.js";
import show from "./__fixtures__/generation.json" with { type: "json" };
import page from "./__fixtures__/generation-list-page.json" with { type: "json" };

const server = useMswServer();

const hub = "https://hub.oxen.ai/api/ai/generations";

describe("getGeneration", () => {
  it("works without a key and sends none", async () => {
    vi.stubEnv("OXEN_API_KEY", "");
    const seen: Request[] = [];
    server.use(
      http.get(`${hub}/:id`, ({ request }) => {
        seen.push(request);
        return HttpResponse.json(show);
      }),
    );
    const body = await createOxenClient().getGeneration(show.generation.generation_id);
    expect(seen[0]!.headers.has("authorization")).toBe(false);
    expect(body.generation.cost).toBe("0.0030000000");
    expect(body.generation.prompt).toBe("a lighthouse at dusk"); // request params merged in, kept
  });

  it("sends the key when there is one", async () => {
    vi.stubEnv("OXEN_API_KEY", "ox-test-key");
    const seen: Request[] = [];
    server.use(
      http.get(`${hub}/:id`, ({ request }) => {
        seen.push(request);
        return HttpResponse.json(show);
      }),
    );
    await createOxenClient().getGeneration(show.generation.generation_id);
    expect(seen[0]!.headers.get("authorization")).toBe("Bearer ox-test-key");
  });

  it("encodes the id into one path segment", async () => {
    const seen: string[] = [];
    server.use(
      http.get(`${hub}/:id`, ({ request }) => {
        seen.push(new URL(request.url).pathname);
        const id = decodeURIComponent(new URL(request.url).pathname.split("/").pop() as string);
        return HttpResponse.json({ ...show, generation: { ...show.generation, generation_id: id } });
      }),
    );
    await createOxenClient().getGeneration("a/../b?c#d %");
    expect(seen).toEqual(["/api/ai/generations/a%2F..%2Fb%3Fc%23d%20%25"]);
    await expect(createOxenClient().getGeneration("..")).rejects.toSatisfy((e) => InvalidArgumentError.isInstance(e));
  });

  it("maps the Hub's error envelope", async () => {
    server.use(
      http.get(`${hub}/:id`, () =>
        HttpResponse.json({ status: "error", status_message: "resource_not_found" }, { status: 404 }),
      ),
    );
    const error = await createOxenClient()
      .getGeneration("nope")
      .catch((e) => e);
    expect(NotFoundError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ code: "resource_not_found", message: "Oxen.ai 404 Not Found: resource_not_found" });
  });
});

describe("listGenerations and iterateGenerations", () => {
  function pagedHub(total: number, pageSize: number) {
    const fetched: URLSearchParams[] = [];
    server.use(
      http.get(hub, ({ request }) => {
        const query = new URL(request.url).searchParams;
        fetched.push(query);
        const n = Number(query.get("page") ?? 1);
        const pages = Math.ceil(total / pageSize);
        const rows = Array.from({ length: Math.max(0, Math.min(pageSize, total - (n - 1) * pageSize)) }, (_, i) => ({
          ...page.generations[0],
          generation_id: `row-${(n - 1) * pageSize + i}`,
        }));
        return HttpResponse.json({
          ...page,
          count: rows.length,
          page_number: n,
          page_size: pageSize,
          total_pages: pages,
          total_entries: total,
          generations: rows,
        });
      }),
    );
    return fetched;
  }

  it("sends the filters and returns one page", async () => {
    const fetched = pagedHub(5, 2);
    const list = await createOxenClient().listGenerations({ namespace: "ox", status: "succeeded", page_size: 2 });
    expect(list.generations).toHaveLength(2);
    expect(Object.fromEntries(fetched[0]!)).toEqual({ namespace: "ox", status: "succeeded", page_size: "2" });
  });

  it("iterates every row of every page, fetching pages lazily", async () => {
    const fetched = pagedHub(5, 2);
    const rows = createOxenClient().iterateGenerations({ namespace: "ox", page_size: 2 });
    const first = await rows.next();
    expect(first.value?.generation_id).toBe("row-0");
    expect(fetched).toHaveLength(1);
    const rest: string[] = [];
    for await (const row of rows) rest.push(row.generation_id);
    expect(rest).toEqual(["row-1", "row-2", "row-3", "row-4"]);
    expect(fetched.map((q) => q.get("page"))).toEqual(["1", "2", "3"]);
    expect(fetched.every((q) => q.get("namespace") === "ox")).toBe(true);
  });

  it("stops with an error when the Hub answers another page than the one asked (no repeated rows, no endless list)", async () => {
    let calls = 0;
    server.use(
      http.get(hub, () => {
        calls++;
        return HttpResponse.json({ ...page, page_number: 1, total_pages: 1_000_000_000 });
      }),
    );
    const seen: string[] = [];
    const error = await (async () => {
      for await (const row of createOxenClient().iterateGenerations({ page_size: 2 })) seen.push(row.generation_id);
    })().catch((e) => e);
    expect(ResponseParseError.isInstance(error)).toBe(true);
    expect(error.message).toContain("answered page 1 when page 2 was asked");
    expect(calls).toBe(2);
    expect(seen).toEqual(page.generations.map((g) => g.generation_id));
  });
});

describe("the render queue", () => {
  const queue = "https://hub.oxen.ai/api/ai/queue";
  const job = {
    generation_id: "0b9c7c1e-4c1a-4a53-9d0e-2f1f6f3c9a10",
    model_name: "flux-schnell",
    media_type: "image",
    status: "processing",
    enqueued_at: 1763800000,
    started_at: 1763800002,
    completed_at: null,
    error_message: null,
    result_url: null,
    target_namespace: "ox",
    target_repo: null,
    target_directory: null,
  };

  it("enqueues a job with a JSON body and the key", async () => {
    const seen: { auth: string | null; body: unknown }[] = [];
    server.use(
      http.post(queue, async ({ request }) => {
        seen.push({ auth: request.headers.get("authorization"), body: await request.json() });
        return HttpResponse.json({ generations: [{ generation_id: job.generation_id, status: "queued" }] });
      }),
    );
    const created = await createOxenQueueClient({ apiKey: "ox-test-key" }).enqueueGeneration({
      model: "flux-schnell",
      prompt: "a lighthouse at dusk",
      num_generations: 1,
    });
    expect(seen).toEqual([
      {
        auth: "Bearer ox-test-key",
        body: { model: "flux-schnell", prompt: "a lighthouse at dusk", num_generations: 1 },
      },
    ]);
    expect(created.generations[0]).toEqual({ generation_id: job.generation_id, status: "queued" });
  });

  it("never retries an enqueue the Hub may have taken; retries one it refused with 429", async () => {
    let calls = 0;
    server.use(
      http.post(queue, () => {
        calls++;
        return HttpResponse.json({ status: "error", status_message: "upstream_error" }, { status: 503 });
      }),
    );
    const client = createOxenQueueClient({ apiKey: "ox-test-key" });
    await expect(
      client.enqueueGeneration({ model: "flux-schnell", prompt: "p", num_generations: 1 }),
    ).rejects.toSatisfy((e) => ServerError.isInstance(e));
    expect(calls).toBe(1);
    calls = 0;
    server.use(
      http.post(queue, () =>
        ++calls === 1
          ? HttpResponse.json(
              { status: "error", status_message: "rate_limited" },
              { status: 429, headers: { "retry-after-ms": "0" } },
            )
          : HttpResponse.json({ generations: [{ generation_id: job.generation_id, status: "queued" }] }),
      ),
    );
    expect(
      (await client.enqueueGeneration({ model: "flux-schnell", prompt: "p", num_generations: 1 })).generations,
    ).toHaveLength(1);
    expect(calls).toBe(2);
  });

  it("lists the queue with its filters", async () => {
    const seen: URLSearchParams[] = [];
    server.use(
      http.get(queue, ({ request }) => {
        seen.push(new URL(request.url).searchParams);
        return HttpResponse.json({ count: 1, generations: [job] });
      }),
    );
    const list = await createOxenQueueClient().listQueue({
      namespace: "ox",
      status: "processing",
      media_type: "image",
    });
    expect(Object.fromEntries(seen[0]!)).toEqual({ namespace: "ox", status: "processing", media_type: "image" });
    expect(list.generations[0]?.status).toBe("processing");
  });

  it("gets one queued job and cancels it, encoding the id", async () => {
    const paths: string[] = [];
    server.use(
      http.get(`${queue}/:id`, ({ request, params }) => {
        paths.push(`GET ${new URL(request.url).pathname}`);
        return HttpResponse.json({ ...job, generation_id: params.id });
      }),
      http.delete(`${queue}/:id`, ({ request, params }) => {
        paths.push(`DELETE ${new URL(request.url).pathname}`);
        return HttpResponse.json({ status: "success", generation_id: params.id });
      }),
    );
    const client = createOxenQueueClient();
    expect((await client.getQueuedGeneration("a/b")).model_name).toBe("flux-schnell");
    expect(await client.cancelGeneration("a/b")).toEqual({ status: "success", generation_id: "a/b" });
    expect(paths).toEqual(["GET /api/ai/queue/a%2Fb", "DELETE /api/ai/queue/a%2Fb"]);
  });

  it("refuses an answer about another job than the one asked", async () => {
    server.use(http.get(`${queue}/:id`, () => HttpResponse.json(job)));
    await expect(createOxenQueueClient().getQueuedGeneration("other-job")).rejects.toThrowError(
      `generation "${job.generation_id}" when "other-job" was asked`,
    );
  });

  it("maps a 404 from the queue and refuses a body of the wrong shape", async () => {
    server.use(
      http.delete(`${queue}/:id`, () =>
        HttpResponse.json({ status: "error", status_message: "resource_not_found" }, { status: 404 }),
      ),
      http.get(`${queue}/:id`, () => HttpResponse.json({ status: "success" })),
    );
    const client = createOxenQueueClient();
    const missing = await client.cancelGeneration("nope").catch((e) => e);
    expect(NotFoundError.isInstance(missing)).toBe(true);
    expect(missing.code).toBe("resource_not_found");
    await expect(client.getQueuedGeneration("g")).rejects.toThrow(/a `generation_id` that is not a string/);
  });
});
