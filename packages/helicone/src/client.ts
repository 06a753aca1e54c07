import type { FieldPath, GatewayClientOptions } from "@genledger/core/internal";
import { asObject, createLookupClient, defineGateway } from "@genledger/core/internal";
import type { paths } from "./generated/openapi.js";
import type { HeliconeRequest } from "./types.js";

export type HeliconeClientOptions = GatewayClientOptions;

/** Helicone's Result error, `{ "data": null, "error": "..." }`; undefined for anything else. */
function resultError(body: unknown): string | undefined {
  const b = asObject(body);
  return b && b.data === null && typeof b.error === "string" ? b.error : undefined;
}

/** Helicone, defined once: the client, the fetch client and the mock read it. */
export const heliconeGateway = defineGateway<paths>()({
  provider: "helicone",
  displayName: "Helicone",
  envPrefix: "HELICONE",
  // The EU region is https://eu.api.helicone.ai (`baseUrl` or HELICONE_BASE_URL).
  defaultBaseUrl: "https://api.helicone.ai",
  parseError: (body) => {
    const error = resultError(body);
    return error === undefined ? undefined : { message: error };
  },
  lookup: {
    method: "get",
    path: "/v1/request/{requestId}",
    request: (id) => ({ path: { requestId: id }, query: { includeBody: false } }),
    idAt: "data.request_id" satisfies `data.${FieldPath<HeliconeRequest>}`,
    // Helicone answers every error with 500 and a Result error, an id it has not logged (yet) among them:
    // that is no server down, and never retried or backed off as one.
    notFound: ({ status, text }) => {
      if (status !== 500) return undefined;
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        return undefined;
      }
      return resultError(body) === undefined
        ? undefined
        : "Helicone answers 500 for a request it has not logged (yet): logs are written after the response";
    },
  },
});

/** A Helicone client: `getGeneration` (one logged request). Throws InvalidArgumentError for a bad option. */
export const createHeliconeClient = (options: HeliconeClientOptions = {}) =>
  createLookupClient(heliconeGateway, options);

export type HeliconeClient = ReturnType<typeof createHeliconeClient>;
