// A consumer written against @genledger/zenmux 0.1.0.
import {
  createZenMuxClient,
  type operations,
  type ZenMuxErrorResponse,
  type ZenMuxGeneration,
  type ZenMuxGenerationQuery,
  type ZenMuxNativeTokens,
  type ZenMuxRatingResponses,
} from "../../../packages/zenmux/src/index.js";

const client = createZenMuxClient({ apiKey: "test-key-123" });

export async function billed(id: string): Promise<number | undefined> {
  const g: ZenMuxGeneration = await client.getGeneration(id);
  const tokens: ZenMuxNativeTokens | undefined = g.nativeTokens;
  const rating: ZenMuxRatingResponses | undefined = g.ratingResponses;
  return (tokens?.prompt_tokens ?? 0) > 0 ? (g.usage ?? rating?.billAmount) : undefined;
}

export async function raw(query: ZenMuxGenerationQuery): Promise<string | undefined> {
  const { data, error } = await client.GET("/generation", { params: { query } });
  if (error) return (error as ZenMuxErrorResponse).error.message;
  return data?.generationId;
}

export type LookupOperation = operations["getGeneration"];
