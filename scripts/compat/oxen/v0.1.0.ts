// A consumer written against @genledger/oxen 0.1.0.
import {
  createOxenClient,
  type OxenErrorResponse,
  type OxenGeneration,
  type OxenGenerationList,
  type OxenGenerationListQuery,
  type OxenGenerationResponse,
  type OxenGenerationRow,
  type OxenGenerationStatus,
} from "../../../packages/oxen/src/index.js";

const client = createOxenClient();

export async function status(id: string): Promise<[OxenGenerationStatus, string | null | undefined]> {
  const body: OxenGenerationResponse = await client.getGeneration(id);
  const g: OxenGeneration = body.generation;
  return [g.status, g.cost];
}

export async function spend(query: OxenGenerationListQuery): Promise<string[]> {
  const page: OxenGenerationList = await client.listGenerations({ ...query, page_size: 100 });
  const costs = [page.total_cost];
  for await (const row of client.iterateGenerations(query)) costs.push((row as OxenGenerationRow).cost ?? "0");
  return costs.filter((c): c is string => typeof c === "string");
}

export async function raw(id: string): Promise<string | undefined> {
  const { data, error } = await client.GET("/api/ai/generations/{generation_id}", {
    params: { path: { generation_id: id } },
  });
  if (error) return (error as OxenErrorResponse).status_message;
  return data?.generation.model_name;
}
