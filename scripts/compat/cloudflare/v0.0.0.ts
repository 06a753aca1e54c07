// A consumer written against @genledger/cloudflare as first released: it must keep type-checking until a
// changeset calls the change breaking (scripts/compat.slow.test.ts). Replace it after each release.
import { createCloudflareFetchClient } from "../../../packages/cloudflare/src/fetch.js";
import {
  type CloudflareErrorEnvelope,
  type CloudflareLog,
  type CloudflareLogPath,
  cloudflareRef,
  createCloudflareClient,
  type operations,
  parseCloudflareRef,
} from "../../../packages/cloudflare/src/index.js";

export async function cost(account: string, gateway: string, log: string): Promise<number | undefined> {
  const client = createCloudflareClient({ apiKey: "test-key-123" });
  const { result }: { result: CloudflareLog } = await client.getGeneration(cloudflareRef(account, gateway, log));
  return result.custom_cost ? undefined : result.cost;
}

export async function raw(ref: string): Promise<unknown> {
  const { accountId, gatewayId, logId } = parseCloudflareRef(ref);
  const path: CloudflareLogPath = { account_id: accountId, gateway_id: gatewayId, id: logId };
  const { error } = await createCloudflareFetchClient({ apiKey: "test-key-123" }).GET(
    "/accounts/{account_id}/ai-gateway/gateways/{gateway_id}/logs/{id}",
    { params: { path } },
  );
  return error ? (error as CloudflareErrorEnvelope).errors : undefined;
}

export type LookupOperation = operations["getGatewayLog"];
