// Child process: the store section's gateway for `genledger resolve`, the mock's OpenRouter (its generation
// lookups answer a final record for any id) behind the mock's token bucket of `rate` a second (burst 10,
// 429 with retry-after: 1), after `delayMs` of latency. It counts, per id, the lookups it answered 200 and
// those it refused with 429, and serves the counts at GET /__counts. Prints its base URL as one JSON line,
// then serves until killed.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { type MountedGateway, mountGateways } from "@genledger/testing";

type MockRequest = Parameters<MountedGateway["answer"]>[0];

export interface GatewayCounts {
  /** Per id: lookups answered 200 (a record). */
  ok: Record<string, number>;
  /** Per id: lookups refused with 429. */
  refused: Record<string, number>;
  /** Any other answer, per status. */
  other: Record<string, number>;
}

const { delayMs, rate } = JSON.parse(process.argv[2] ?? "{}") as { delayMs: number; rate: number };
const counts: GatewayCounts = { ok: {}, refused: {}, other: {} };
const bump = (into: Record<string, number>, key: string) => {
  into[key] = (into[key] ?? 0) + 1;
};
let openrouter: MountedGateway | undefined;

const server = createServer((req, res) => {
  const url = new URL(req.url ?? "/", "http://127.0.0.1");
  if (url.pathname === "/__counts") {
    res.writeHead(200, { "content-type": "application/json" });
    return void res.end(JSON.stringify(counts));
  }
  const request: MockRequest = {
    method: req.method ?? "GET",
    url,
    header: (name) => {
      const value = req.headers[name.toLowerCase()];
      return value === undefined ? null : Array.isArray(value) ? value.join(", ") : value;
    },
    text: async () => "",
  };
  req.resume();
  openrouter!.answer(request).then(
    (answer) => {
      const id = url.searchParams.get("id") ?? "";
      if (answer.status === 200) bump(counts.ok, id);
      else if (answer.status === 429) bump(counts.refused, id);
      else bump(counts.other, String(answer.status));
      const text = JSON.stringify(answer.body);
      res.writeHead(answer.status, {
        ...answer.headers,
        "content-type": "application/json",
        "content-length": String(Buffer.byteLength(text)),
      });
      res.end(text);
    },
    (error: unknown) => {
      bump(counts.other, "500");
      res.writeHead(500, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: { message: String(error) } }));
    },
  );
});
await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/openrouter/api/v1`;
openrouter = mountGateways({
  baseUrls: { openrouter: baseUrl },
  openrouter: { delayMs, rateLimit: { requestsPerSecond: rate, burst: 10, headers: "retry-after" } },
}).find((g) => g.name === "openrouter");
process.stdout.write(`${JSON.stringify({ url: baseUrl })}\n`);
process.once("SIGTERM", () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
