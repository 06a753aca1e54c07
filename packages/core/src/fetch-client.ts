// The full typed openapi-fetch client over a gateway's transport. Kept apart from `createGateway`
// so that a consumer who only looks generations up does not ship openapi-fetch, nor this.
import createClient, { type Client } from "openapi-fetch";
import type { GatewayDefinition } from "./define-gateway.js";
import { createGateway, type Gateway, type GatewayClientOptions, gatewayOrigin, pathSegment } from "./gateway.js";

/**
 * An openapi-fetch client whose every call goes through `gateway.fetch` (auth, timeouts, retries, cap).
 * The answer is not checked, but the key is replaced wherever it shows in its status text, headers
 * and body.
 */
export function createFetchClient<Paths extends {}>(gateway: Gateway): Client<Paths, `${string}/${string}`> {
  return createClient<Paths>({
    // The base URL is read per request (option or environment): the gateway rebases this origin onto it.
    baseUrl: gatewayOrigin,
    fetch: gateway.fetch,
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
