import type { GatewayClientOptions } from "@genledger/core/internal";
import { asObject, createLookupClient, defineGateway, InvalidArgumentError } from "@genledger/core/internal";
import type { paths } from "./generated/openapi.js";
import type { CloudflareLog } from "./types.js";

export type CloudflareClientOptions = GatewayClientOptions;

/**
 * A Cloudflare AI Gateway ref: `{account_id}/{gateway_id}/{log_id}`, each part one path segment. One
 * string, so that it is a `cloudflare:{ref}` line of a batch file and the store's (provider, id) key.
 */
export function parseCloudflareRef(ref: string): { accountId: string; gatewayId: string; logId: string } {
  const parts = ref.split("/");
  if (parts.length !== 3 || parts.some((p) => p.trim() === "")) {
    throw new InvalidArgumentError(
      `Cloudflare AI Gateway: ref ${JSON.stringify(ref.slice(0, 200))} is not {account_id}/{gateway_id}/{log_id} (the log id is the call's cf-aig-log-id header)`,
    );
  }
  const [accountId, gatewayId, logId] = parts as [string, string, string];
  return { accountId, gatewayId, logId };
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
    const errors = Array.isArray(b?.errors) ? b.errors : [];
    if (b?.success !== false && errors.length === 0) return undefined;
    const first = asObject(errors[0]);
    const message = errors
      .map((e) => asObject(e)?.message)
      .filter((m): m is string => typeof m === "string")
      .join("; ");
    return {
      message: message || undefined,
      code: typeof first?.code === "number" || typeof first?.code === "string" ? String(first.code) : undefined,
    };
  },
  lookup: {
    method: "get",
    path: "/accounts/{account_id}/ai-gateway/gateways/{gateway_id}/logs/{id}",
    request: (ref) => {
      const { accountId, gatewayId, logId } = parseCloudflareRef(ref);
      return { path: { account_id: accountId, gateway_id: gatewayId, id: logId } };
    },
    // The log names its own id only: the answer is right when it is the ref's log.
    check: (body, ref) => {
      // Read through the spec's type, so a renamed field fails the build.
      const log = asObject(body.result) as Partial<Record<keyof CloudflareLog, unknown>> | undefined;
      if (!log) return "no `result` log";
      const id = log.id;
      const { logId } = parseCloudflareRef(ref);
      if (typeof id !== "string") return "a `result.id` that is not a string";
      return id === logId ? undefined : `log ${JSON.stringify(id)} when ${JSON.stringify(logId)} was asked`;
    },
    // No log yet: written after the call, and never where logging is off.
    notFound: ({ status }) =>
      status === 404
        ? "no such log yet: AI Gateway writes it after the call, and not at all where logging is off for the gateway or the request (cf-aig-collect-log: false)"
        : undefined,
  },
});

/** A Cloudflare AI Gateway client: `getGeneration(ref)`. Throws InvalidArgumentError for a bad option. */
export const createCloudflareClient = (options: CloudflareClientOptions = {}) =>
  createLookupClient(cloudflareGateway, options);

export type CloudflareClient = ReturnType<typeof createCloudflareClient>;
