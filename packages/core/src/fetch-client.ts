// The full typed openapi-fetch client over a gateway's transport. Kept apart from `createGateway`
// so that a consumer who only looks generations up does not ship openapi-fetch.
import createClient, { type Client } from "openapi-fetch";
import { type Gateway, pathSegment } from "./gateway.js";

// openapi-fetch fixes the base URL when the client is made, but ours is read from the environment
// per request: its requests are built against this placeholder and rebased by the gateway.
const placeholderBase = "http://genledger.base.invalid";

/** An openapi-fetch client whose every call goes through `gateway` (auth, timeouts, retries, cap). */
export function createFetchClient<Paths extends {}>(gateway: Gateway): Client<Paths, `${string}/${string}`> {
  return createClient<Paths>({
    baseUrl: placeholderBase,
    async fetch(request: Request) {
      const headers: Record<string, string> = {};
      request.headers.forEach((value, name) => {
        headers[name] = value;
      });
      const r = await gateway.raw({
        method: request.method,
        path: request.url.slice(placeholderBase.length),
        headers,
        body: request.body ? await request.text() : undefined,
        signal: request.signal,
      });
      const empty = r.status === 204 || r.status === 205 || r.status === 304;
      return new Response(empty ? null : r.text, { status: r.status, statusText: r.statusText, headers: r.headers });
    },
    pathSerializer: (pathname, params) =>
      pathname.replace(/\{([^{}]+)\}/g, (match, name: string) => {
        const value = params?.[name];
        return value === undefined || value === null ? match : pathSegment(String(value), name);
      }),
  });
}
