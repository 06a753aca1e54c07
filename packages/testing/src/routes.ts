// The mock gateways' behaviour, in one place: routes, fixtures, faults, auth, paging. No HTTP library:
// the loopback server (server.ts, node:http) and the msw handlers (handlers.ts) both answer with it.
// Each gateway is defined in gateways/<name>.ts and listed once in gateways.ts.
import * as registry from "./gateways.js";
import {
  fixedClock,
  Gate,
  type GatewayDefinition,
  type GatewayMock,
  json,
  type MockRequest,
  type MockResponse,
  mockRateLimiter,
  realClock,
} from "./mock-kit.js";

export type { OxenMock } from "./gateways/oxen.js";
export {
  type Fault,
  type GatewayMock,
  type MockRateLimit,
  type MockRequest,
  type MockResponse,
  missingIdPrefix,
} from "./mock-kit.js";

// A plain object: every gateway is used, by name.
const gateways = { ...registry };
type Gateways = typeof gateways;
export type GatewayName = keyof Gateways;

export const gatewayNames = (Object.keys(gateways) as GatewayName[]).sort();

const definition = (name: GatewayName): GatewayDefinition<any> => gateways[name];
const byName = <T>(value: (d: GatewayDefinition<any>) => T) =>
  Object.fromEntries(gatewayNames.map((name) => [name, value(definition(name))])) as Record<GatewayName, T>;

/** Each gateway's mock options (`OxenMock` for Oxen, `GatewayMock` for the rest). */
type MockOptionsOf<K extends GatewayName> = Gateways[K] extends GatewayDefinition<infer M> ? M : GatewayMock;

export type MockGatewayOptions = {
  /** Each gateway's base URL, as a client takes it; default: the real one (for msw's `setupServer`). */
  baseUrls?: Partial<Record<GatewayName, string>>;
  /**
   * The completions' ids and times the same on every start (for a test that needs fixed ones): ids from
   * this seed, times from 2025-11-20. Default: ids unique to each start and the real clock, so a second
   * run into the same store is new records, filed under today.
   */
  seed?: string | undefined;
} & { [K in GatewayName]?: MockOptionsOf<K> };

/** Each gateway's real base URL, as its client's `baseUrl` option takes it. */
export const defaultBaseUrls = byName((d) => d.baseUrl + (d.clientPath ?? ""));

/** Where the loopback server serves each gateway (a client's `baseUrl` there adds `clientPaths`). */
export const serverPrefixes = byName((d) => d.prefix);

/** What a client's base URL adds to where the gateway's routes are mounted (Vercel's `/v1`). */
export const clientPaths = byName((d) => d.clientPath ?? "");

/** The environment variable naming each gateway's base URL (`OPENROUTER_BASE_URL`, `AI_GATEWAY_BASE_URL`, ...). */
export const baseUrlEnv = byName((d) => `${d.env}_BASE_URL`);

/** Each gateway's own error envelope. */
export const errorBody = byName((d) => d.errorBody);

/** A well-formed lookup answer of each gateway for an id. */
export const fixtures = byName((d) => d.fixture);

/** One gateway's routes, resolved against the base URL it is served at. */
export interface MountedGateway {
  name: GatewayName;
  /** The base URL, without a trailing slash. */
  baseUrl: string;
  /** The answer for a request under `baseUrl`: a route's, or a 404 naming what has no mock. */
  answer(request: MockRequest): Promise<MockResponse>;
}

/** Every gateway with its own state (call counts, faults), sharing one options object. */
export function mountGateways(options: MockGatewayOptions = {}): MountedGateway[] {
  const clock = options.seed === undefined ? realClock() : fixedClock(options.seed);
  return gatewayNames.map((name) => {
    const gateway = definition(name);
    const mock: GatewayMock = options[name] ?? {};
    const gate = new Gate(gateway, mock, clock);
    const routes = gateway.routes(gate, mock);
    const limiter = mock.rateLimit && mockRateLimiter(mock.rateLimit);
    // A client's base URL, less the part the routes spell out themselves (Vercel's `/v1`).
    const client = (options.baseUrls?.[name] ?? defaultBaseUrls[name]).replace(/\/+$/, "");
    const suffix = clientPaths[name];
    const baseUrl = suffix && client.endsWith(suffix) ? client.slice(0, -suffix.length) : client;
    const basePath = new URL(baseUrl).pathname.replace(/\/+$/, "");
    return {
      name,
      baseUrl,
      async answer(request) {
        const rest = request.url.pathname.slice(basePath.length);
        for (const route of routes) {
          if (route.method !== request.method) continue;
          const id = matchPath(route.path, rest);
          if (id === undefined) continue;
          // Decided on arrival, answered after the mock's latency, like a gateway's edge.
          const turn = limiter?.take();
          if (turn?.refused) {
            if (mock.delayMs) await new Promise((resolve) => setTimeout(resolve, mock.delayMs));
            return gate.error(429, undefined, turn.headers);
          }
          const answer = await route.answer(request, id);
          return turn ? { ...answer, headers: { ...answer.headers, ...turn.headers } } : answer;
        }
        return json({ error: { message: `no mock for ${request.method} ${request.url.pathname}` } }, 404);
      },
    };
  });
}

/** The gateway a request URL falls under, if any. */
export function gatewayFor(mounted: readonly MountedGateway[], url: URL): MountedGateway | undefined {
  const href = `${url.origin}${url.pathname}`;
  return mounted.find((g) => href === g.baseUrl || href.startsWith(`${g.baseUrl}/`));
}

/**
 * `undefined` when `path` does not match `pattern`; else the `:id` segment (decoded), or "". Several `:id`
 * segments are joined by "/": Cloudflare's `/accounts/:id/ai-gateway/gateways/:id/logs/:id` gives its
 * `account/gateway/log` ref.
 */
function matchPath(pattern: string, path: string): string | undefined {
  const want = pattern.split("/");
  const got = path.replace(/\/+$/, "").split("/");
  if (want.length !== got.length) return undefined;
  const ids: string[] = [];
  for (let i = 0; i < want.length; i++) {
    const segment = got[i] as string;
    if (want[i] === ":id") {
      if (!segment) return undefined;
      try {
        ids.push(decodeURIComponent(segment));
      } catch {
        return undefined;
      }
    } else if (want[i] !== segment) return undefined;
  }
  return ids.join("/");
}
