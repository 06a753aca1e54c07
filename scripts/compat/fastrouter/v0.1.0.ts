// A consumer written against @genledger/fastrouter 0.1.0.
import {
  createFastRouterClient,
  type FastRouterErrorResponse,
  type FastRouterGeneration,
  type FastRouterGenerationRequest,
  type FastRouterUsage,
  type operations,
} from "../../../packages/fastrouter/src/index.js";

const client = createFastRouterClient({ apiKey: "test-key-123" });

export async function cost(id: string): Promise<number | undefined> {
  const g: FastRouterGeneration = await client.getGeneration(id);
  const usage: FastRouterUsage | undefined = g.usage;
  return usage?.cost ?? g.credits_used;
}

export async function raw(body: FastRouterGenerationRequest): Promise<string | undefined> {
  const { data, error } = await client.POST("/api/v1/generation", { body });
  if (error) return (error as FastRouterErrorResponse).error?.message;
  return data?.model;
}

export type LookupOperation = operations["getGenerationDetails"];
