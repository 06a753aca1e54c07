// A real HTTP server on loopback, answering with the same handlers as msw.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { getResponse } from "msw";
import { createHandlers, type GatewayName, type MockGatewayOptions } from "./handlers.js";

export interface MockGateway {
  /** `http://127.0.0.1:<port>` */
  url: string;
  port: number;
  /** Each gateway's base URL on this server, for a client's `baseUrl` option. */
  baseUrls: Record<GatewayName, string>;
  /** `OPENROUTER_BASE_URL`, ... pointing here, for a child process's environment. */
  env: Record<string, string>;
  /** Requests served so far, and the most that were in flight at once (to check a concurrency bound). */
  stats: { requests: number; maxInFlight: number };
  close(): Promise<void>;
}

export interface StartMockGatewayOptions extends Omit<MockGatewayOptions, "baseUrls"> {
  /** Default 0: a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
}

const prefixes: Record<GatewayName, string> = {
  openrouter: "/openrouter/api/v1",
  zenmux: "/zenmux/api/v1",
  fastrouter: "/fastrouter",
  oxen: "/oxen",
};

/** Serve every gateway under its own prefix (`/openrouter/api/v1/...`, `/zenmux/api/v1/...`, `/fastrouter/...`, `/oxen/...`). */
export async function startMockGateway(options: StartMockGatewayOptions = {}): Promise<MockGateway> {
  const { port = 0, host = "127.0.0.1", ...behaviour } = options;
  let handlers: ReturnType<typeof createHandlers> = [];
  const stats = { requests: 0, maxInFlight: 0 };
  let inFlight = 0;
  const server = createServer((req, res) => {
    stats.requests++;
    stats.maxInFlight = Math.max(stats.maxInFlight, ++inFlight);
    serve(handlers, req, res)
      .catch((error: unknown) => {
        res.writeHead(500, { "content-type": "application/json" });
        res.end(JSON.stringify({ error: { message: `mock gateway failed: ${String(error)}` } }));
      })
      .finally(() => inFlight--);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const url = `http://${host.includes(":") ? `[${host}]` : host}:${address.port}`;
  const baseUrls = Object.fromEntries(Object.entries(prefixes).map(([name, prefix]) => [name, url + prefix])) as Record<
    GatewayName,
    string
  >;
  handlers = createHandlers({ ...behaviour, baseUrls });
  return {
    url,
    port: address.port,
    baseUrls,
    env: Object.fromEntries(Object.entries(baseUrls).map(([name, base]) => [`${name.toUpperCase()}_BASE_URL`, base])),
    stats,
    close: () => close(server),
  };
}

async function serve(handlers: ReturnType<typeof createHandlers>, req: IncomingMessage, res: ServerResponse) {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const headers = new Headers();
  for (const [key, value] of Object.entries(req.headers)) {
    if (typeof value === "string") headers.set(key, value);
    else if (Array.isArray(value)) for (const v of value) headers.append(key, v);
  }
  const method = req.method ?? "GET";
  const request = new Request(`http://${req.headers.host ?? "127.0.0.1"}${req.url ?? "/"}`, {
    method,
    headers,
    body: method === "GET" || method === "HEAD" || chunks.length === 0 ? undefined : Buffer.concat(chunks),
  });
  const response =
    (await getResponse(handlers, request)) ??
    Response.json({ error: { message: `no mock for ${method} ${req.url}` } }, { status: 404 });
  const body = Buffer.from(await response.arrayBuffer());
  const out: Record<string, string> = {};
  response.headers.forEach((value, key) => {
    out[key] = value;
  });
  res.writeHead(response.status, out);
  res.end(body);
}

function close(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.closeAllConnections();
    server.close((error) => (error ? reject(error) : resolve()));
  });
}
