// The throughput benchmark's server: each gateway's recorded ~1 KB generation body (packages/*/src/__fixtures__),
// with the id asked for, under /<gateway>/... It runs in its own process (server-main.ts) so the server's CPU
// is not charged to the client being measured.
import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export type GatewayName = "openrouter" | "zenmux" | "fastrouter" | "oxen";
export const gatewayNames: readonly GatewayName[] = ["openrouter", "zenmux", "fastrouter", "oxen"];

/** Where each recorded body keeps its generation id. */
const idHolder: Record<GatewayName, (body: any) => { holder: Record<string, unknown>; key: string }> = {
  openrouter: (b) => ({ holder: b.data, key: "id" }),
  zenmux: (b) => ({ holder: b, key: "generationId" }),
  fastrouter: (b) => ({ holder: b, key: "id" }),
  oxen: (b) => ({ holder: b.generation, key: "generation_id" }),
};

const marker = "\u0000bench-id\u0000";

/** The compact body of a gateway split around its id, so a response is two concatenations. */
function template(name: GatewayName): [string, string] {
  const url = new URL(`../../packages/${name}/src/__fixtures__/generation.json`, import.meta.url);
  const body = JSON.parse(readFileSync(url, "utf8"));
  const { holder, key } = idHolder[name](body);
  holder[key] = marker;
  // OpenRouter's current spec requires `workspace_id` (null for accounts without workspaces), and
  // @openrouter/sdk refuses a body without it; the recorded fixture predates the field.
  if (name === "openrouter") holder.workspace_id = "550e8400-e29b-41d4-a716-446655440000";
  const [before, after] = JSON.stringify(body).split(JSON.stringify(marker)) as [string, string];
  return [before, after];
}

export function generationBody(name: GatewayName, id: string): string {
  const [before, after] = templates()[name];
  return before + JSON.stringify(id) + after;
}

let cached: Record<GatewayName, [string, string]> | undefined;
function templates() {
  cached ??= Object.fromEntries(gatewayNames.map((n) => [n, template(n)])) as Record<GatewayName, [string, string]>;
  return cached;
}

/** The id a client asked for: `?id=` (OpenRouter, ZenMux), `{ generation_id }` (FastRouter), the last path segment (Oxen). */
async function requestedId(req: IncomingMessage, url: URL): Promise<string> {
  const query = url.searchParams.get("id");
  if (query !== null) return query;
  if (req.method === "POST") {
    let text = "";
    for await (const chunk of req) text += chunk;
    const id = (JSON.parse(text) as { generation_id?: unknown }).generation_id;
    return typeof id === "string" ? id : "";
  }
  return decodeURIComponent(url.pathname.slice(url.pathname.lastIndexOf("/") + 1));
}

export interface BenchServer {
  url: string;
  /** Each gateway's base URL on this server. */
  baseUrls: Record<GatewayName, string>;
  close(): Promise<void>;
}

export async function startBenchServer(port = 0): Promise<BenchServer> {
  templates();
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const name = url.pathname.split("/")[1] as GatewayName;
    if (!(name in idHolder) || !req.headers.authorization) {
      res.writeHead(req.headers.authorization ? 404 : 401, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: { message: req.headers.authorization ? "unknown path" : "no key" } }));
      return;
    }
    requestedId(req, url).then(
      (id) => {
        const body = generationBody(name, id);
        res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
        res.end(body);
      },
      () => {
        res.writeHead(400, { "content-type": "application/json" });
        res.end('{"error":{"message":"bad body"}}');
      },
    );
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const baseUrls: Record<GatewayName, string> = {
    openrouter: `${url}/openrouter/api/v1`,
    zenmux: `${url}/zenmux/api/v1`,
    fastrouter: `${url}/fastrouter`,
    oxen: `${url}/oxen`,
  };
  return {
    url,
    baseUrls,
    close: () =>
      new Promise((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
