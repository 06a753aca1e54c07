// A real HTTP server on loopback (plain node:http, no msw), answering from the same routes as the msw handlers.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import {
  baseUrlEnv,
  clientPaths,
  type GatewayName,
  gatewayFor,
  gatewayNames,
  type MockGatewayOptions,
  type MockRequest,
  type MockResponse,
  type MountedGateway,
  mountGateways,
  serverPrefixes,
} from "./routes.js";

export interface MockGateway {
  /** `http://127.0.0.1:<port>` */
  url: string;
  port: number;
  /** Each gateway's base URL on this server, for a client's `baseUrl` option. */
  baseUrls: Record<GatewayName, string>;
  /** `OPENROUTER_BASE_URL`, `AI_GATEWAY_BASE_URL`, ... pointing here, for a child process's environment. */
  env: Record<string, string>;
  /** The URL each gateway is served under (every request below it goes to that gateway): `createCapture({ gateways })`. */
  gateways: Record<string, GatewayName>;
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

/** Serve every gateway under its own prefix (`/openrouter/api/v1/...`, `/zenmux/api/v1/...`, `/fastrouter/...`, `/oxen/...`). */
export async function startMockGateway(options: StartMockGatewayOptions = {}): Promise<MockGateway> {
  const { port = 0, host = "127.0.0.1", ...behaviour } = options;
  let mounted: MountedGateway[] = [];
  const stats = { requests: 0, maxInFlight: 0 };
  let inFlight = 0;
  const server = createServer((req, res) => {
    stats.requests++;
    stats.maxInFlight = Math.max(stats.maxInFlight, ++inFlight);
    serve(mounted, req, res)
      .catch((error: unknown) => send(res, 500, {}, { error: { message: `mock gateway failed: ${String(error)}` } }))
      .finally(() => inFlight--);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const url = `http://${host.includes(":") ? `[${host}]` : host}:${address.port}`;
  const baseUrls = Object.fromEntries(
    gatewayNames.map((name) => [name, url + serverPrefixes[name] + clientPaths[name]]),
  ) as Record<GatewayName, string>;
  mounted = mountGateways({ ...behaviour, baseUrls });
  return {
    url,
    port: address.port,
    baseUrls,
    env: Object.fromEntries(gatewayNames.map((name) => [baseUrlEnv[name], baseUrls[name]])),
    gateways: Object.fromEntries(gatewayNames.map((name) => [url + serverPrefixes[name], name])),
    stats,
    close: () => close(server),
  };
}

async function serve(mounted: readonly MountedGateway[], req: IncomingMessage, res: ServerResponse) {
  const method = req.method ?? "GET";
  const url = new URL(req.url ?? "/", `http://${req.headers.host ?? "127.0.0.1"}`);
  const gateway = gatewayFor(mounted, url);
  if (!gateway) {
    req.resume();
    return send(res, 404, {}, { error: { message: `no mock for ${method} ${url.pathname}` } });
  }
  const request: MockRequest = {
    method,
    url,
    header: (name) => {
      const value = req.headers[name.toLowerCase()];
      return value === undefined ? null : Array.isArray(value) ? value.join(", ") : value;
    },
    text: async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks).toString("utf8");
    },
  };
  const answer = await gateway.answer(request);
  req.resume(); // a body no route read
  if (answer.drop) return void res.socket?.destroy();
  if (answer.events) return stream(res, answer);
  send(res, answer.status, answer.headers, answer.body);
}

/** Writes each event as its own chunk, as a gateway streaming tokens does; a cut stream drops the socket. */
async function stream(res: ServerResponse, { status, headers, events = [], cut, delayMs = 0 }: MockResponse) {
  res.writeHead(status, headers);
  res.flushHeaders();
  for (const event of events) {
    if (res.destroyed) return;
    await new Promise((resolve) => (delayMs > 0 ? setTimeout(resolve, delayMs) : setImmediate(resolve)));
    res.write(event);
  }
  if (cut) await new Promise<void>((resolve) => res.write("", () => resolve()));
  if (cut) res.socket?.destroy();
  else res.end();
}

function send(res: ServerResponse, status: number, headers: Record<string, string>, body: unknown) {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...headers,
    "content-type": "application/json",
    "content-length": String(Buffer.byteLength(text)),
  });
  res.end(text);
}

function close(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.closeAllConnections();
    server.close((error) => (error ? reject(error) : resolve()));
  });
}
