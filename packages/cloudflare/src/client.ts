import type { GatewayClientOptions } from "@genledger/core/internal";
import { asObject, createLookupClient, defineGateway, InvalidArgumentError } from "@genledger/core/internal";
import type { paths } from "./generated/openapi.js";
import type { CloudflareLog } from "./types.js";

export type CloudflareClientOptions = GatewayClientOptions;

/** The lookup's path parameters of a ref; InvalidArgumentError for one that is not three segments. */
function refPath(ref: string): { account_id: string; gateway_id: string; id: string } {
  const [, account_id, gateway_id, id] = /^([^/\s]+)\/([^/\s]+)\/([^/\s]+)$/.exec(ref) ?? [];
  if (!id) {
    throw new InvalidArgumentError(
      `Cloudflare ref ${JSON.stringify(ref.slice(0, 200))} is not {account_id}/{gateway_id}/{log_id}`,
    );
  }
  return { account_id: account_id as string, gateway_id: gateway_id as string, id };
}

/**
 * A Cloudflare AI Gateway ref, `{account_id}/{gateway_id}/{log_id}`, in its parts; each part one path
 * segment. One string, so that it is a `cloudflare:{ref}` line of a batch file and the store's (provider, id)
 * key. InvalidArgumentError for anything else.
 */
export function parseCloudflareRef(ref: string): { accountId: string; gatewayId: string; logId: string } {
  const path = refPath(ref);
  return { accountId: path.account_id, gatewayId: path.gateway_id, logId: path.id };
}

/** The ref of the log `logId` of the gateway `gatewayId` in the account `accountId`. */
export const cloudflareRef = (accountId: string, gatewayId: string, logId: string): string =>
  `${accountId}/${gatewayId}/${logId}`;

/** Cloudflare AI Gateway, defined once: the client, the fetch client and the mock read it. */
export const cloudflareGateway = defineGateway<paths>()({
  provider: "cloudflare",
  displayName: "Cloudflare AI Gateway",
  envPrefix: "CLOUDFLARE",
  // An API token with AI Gateway Read, as Cloudflare's own tools name it; not the gateway's cf-aig-authorization token.
  apiKeyEnv: ["CLOUDFLARE_API_TOKEN"],
  defaultBaseUrl: "https://api.cloudflare.com/client/v4",
  // The v4 envelope: {"success":false,"errors":[{"code":7003,"message":"..."}],"messages":[],"result":null}.
  parseError: (body) => {
    const b = asObject(body);
    const first = asObject((b?.errors as unknown[] | undefined)?.[0]);
    if (b?.success !== false && !first) return undefined;
    return {
      message: typeof first?.message === "string" ? first.message : undefined,
      code: first?.code != null ? String(first.code) : undefined,
    };
  },
  lookup: {
    method: "get",
    path: "/accounts/{account_id}/ai-gateway/gateways/{gateway_id}/logs/{id}",
    request: (ref) => ({ path: refPath(ref) }),
    // The log names its own id only: the answer is right when it is the ref's log (read through the spec's type).
    check: (body, ref) => {
      const id = (asObject(body.result) as Partial<Record<keyof CloudflareLog, unknown>> | undefined)?.id;
      const logId = ref.slice(ref.lastIndexOf("/") + 1);
      return id === logId ? undefined : `generation ${JSON.stringify(id)} when ${JSON.stringify(logId)} was asked`;
    },
    // No log yet: written after the call, and never where logging is off.
    notFound: ({ status }) => (status === 404 ? "not written yet, or logging is off" : undefined),
  },
});

/** A Cloudflare AI Gateway client: `getGeneration(ref)`. Throws InvalidArgumentError for a bad option. */
export const createCloudflareClient = (options: CloudflareClientOptions = {}) =>
  createLookupClient(cloudflareGateway, options);

export type CloudflareClient = ReturnType<typeof createCloudflareClient>;
