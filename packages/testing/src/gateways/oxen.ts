import { oxenGateway } from "@genledger/oxen";
import { oxenGeneration, oxenJobs } from "../fixtures.js";
import { defineGateway, type GatewayMock, json } from "../mock-kit.js";

export interface OxenMock extends GatewayMock {
  /** How many jobs the list holds (default 12). */
  jobs?: number;
}

/** Oxen.ai: one generation (queued, then processing, while not ready) and the paged list. */
export const oxenMock = defineGateway<OxenMock>({
  gateway: oxenGateway,
  prefix: "/oxen",
  fixture: (id) => ({ status: "success", status_message: "resource_found", generation: oxenGeneration(id) }),
  errorBody: (_status, message) => ({ status: "error", status_message: message }),
  routes: (gate, mock) => {
    const jobs = oxenJobs(mock.jobs ?? 12);
    return [
      {
        method: "GET",
        path: "/api/ai/generations/:id",
        answer: async (request, id) => {
          const refused = await gate.refuse(request, id, false);
          if (refused) return refused;
          const calls = gate.calls(id);
          const known = jobs.find((j) => j.generation_id === id);
          const generation =
            calls <= (mock.notReadyCalls ?? 0)
              ? oxenGeneration(id, calls === 1 ? "queued" : "processing")
              : (known ?? oxenGeneration(id, id.startsWith("failed-") ? "failed" : "succeeded"));
          return json({ status: "success", status_message: "resource_found", generation });
        },
      },
      {
        method: "GET",
        path: "/api/ai/generations",
        answer: async (request) => {
          const refused = await gate.refuse(request, "", false);
          if (refused) return refused;
          const q = request.url.searchParams;
          const page = Math.max(1, Number(q.get("page") ?? 1));
          const pageSize = Math.min(1000, Math.max(1, Number(q.get("page_size") ?? 50)));
          const filters: Array<[string, string]> = [
            ["namespace", "target_namespace"],
            ["model", "model_name"],
            ["media_type", "media_type"],
            ["status", "status"],
            ["repo", "target_repo"],
            ["folder", "target_directory"],
          ];
          const rows = jobs.filter((job) =>
            filters.every(
              ([param, field]) => !q.has(param) || (job as Record<string, unknown>)[field] === q.get(param),
            ),
          );
          const slice = rows.slice((page - 1) * pageSize, page * pageSize);
          const charged = rows.filter((r) => r.cost !== null).map((r) => Number(r.cost));
          return json({
            count: slice.length,
            generations: slice,
            page_number: page,
            page_size: pageSize,
            total_cost: charged.length ? charged.reduce((a, b) => a + b, 0).toFixed(10) : null,
            total_entries: rows.length,
            total_pages: Math.max(1, Math.ceil(rows.length / pageSize)),
          });
        },
      },
    ];
  },
});
