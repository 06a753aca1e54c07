// The full typed openapi-fetch client over a gateway's transport. Kept apart from `createGateway`
// so that a consumer who only looks generations up does not ship openapi-fetch, nor this.
import createClient, { type Client } from "openapi-fetch";
import type { GatewayDefinition } from "./define-gateway.js";
import { InvalidArgumentError } from "./errors.js";
import { createGateway, type Gateway, gatewayOrigin, pathSegment, type Transport } from "./gateway.js";
import { redactAnswer } from "./redact.js";
import type { GatewayClientOptions } from "./types.js";

/**
 * A gateway's transport as a `fetch`, for URLs under `gatewayOrigin` (rebased onto the base URL read when the
 * request is sent; any other origin is refused): auth, timeouts, retries, redirects and the cap. The answer is
 * not checked, but the key is replaced wherever it shows in its status text, headers and body.
 */
export function transportFetch(transport: Transport, title = "the gateway") {
  return async (input: Request | string | URL, init?: RequestInit): Promise<Response> => {
    const request = input instanceof Request && init === undefined ? input : new Request(input, init);
    if (!request.url.startsWith(`${gatewayOrigin}/`)) {
      throw new InvalidArgumentError(
        `${title}: the fetch client's transport takes URLs under ${gatewayOrigin}, rebased onto its base URL; this one is not`,
      );
    }
    const [key, base] = transport.keyAndBaseUrl();
    const headers = { ...transport.headers };
    request.headers.forEach((value, header) => {
      headers[header] = value;
    });
    if (key) headers.authorization = `Bearer ${key}`;
    const r = await transport.sendWithRetries(
      {
        method: request.method,
        url: base + request.url.slice(gatewayOrigin.length),
        headers,
        body: request.body ? await request.text() : undefined,
        signal: request.signal,
        deadline: undefined,
      },
      key,
    );
    const safe = key ? redactAnswer(r, key) : r;
    const empty = r.status === 204 || r.status === 205 || r.status === 304;
    return new Response(empty ? null : safe.text, {
      status: r.status,
      statusText: safe.statusText,
      headers: safe.headers,
    });
  };
}

/**
 * An openapi-fetch client whose every call goes through the gateway's transport (auth, timeouts, retries, cap).
 * The answer is not checked, but the key is replaced wherever it shows in its status text, headers
 * and body.
 */
export function createFetchClient<Paths extends {}>(gateway: Gateway): Client<Paths, `${string}/${string}`> {
  return createClient<Paths>({
    // The base URL is read per request (option or environment): the gateway rebases this origin onto it.
    baseUrl: gatewayOrigin,
    fetch: transportFetch(gateway.transport, gateway.spec.displayName),
    pathSerializer: (pathname, params) =>
      pathname.replace(/\{([^{}]+)\}/g, (match, name: string) => {
        const value = params?.[name];
        return value === undefined || value === null ? match : pathSegment(String(value), name);
      }),
  });
}

/** The fetch client factory of a defined gateway, typed by its spec's `paths`; same options as its client. */
export function fetchClientFor<Paths extends {}>(definition: GatewayDefinition<unknown, Paths>) {
  return (options: GatewayClientOptions = {}) => createFetchClient<Paths>(createGateway(definition, options));
}
