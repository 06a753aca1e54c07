// A consumer written against @genledger/openrouter 0.1.0.
import {
  createOpenRouterClient,
  NotFoundError,
  type OpenRouterErrorResponse,
  type OpenRouterGeneration,
  type OpenRouterGenerationQuery,
  type OpenRouterGenerationResponse,
  type operations,
} from "../../../packages/openrouter/src/index.js";

const client = createOpenRouterClient({ apiKey: "test-key-123", maxRetries: 0 });

export async function cost(id: string): Promise<{ usd: number; model: string; tokens: number | null | undefined }> {
  const body: OpenRouterGenerationResponse = await client.getGeneration(id);
  const data: OpenRouterGeneration = body.data;
  return { usd: data.total_cost, model: data.model, tokens: data.native_tokens_prompt };
}

export async function raw(query: OpenRouterGenerationQuery): Promise<number | string | undefined> {
  const { data, error } = await client.GET("/generation", { params: { query } });
  if (error) return (error as OpenRouterErrorResponse).error.message;
  return data?.data.total_cost;
}

export type LookupOperation = operations["get-a-generation"];
export const notReady = (e: unknown): boolean => NotFoundError.isInstance(e);
