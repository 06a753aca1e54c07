// pnpm bench: what the client adds over a bare fetch + JSON.parse, against a real server on 127.0.0.1.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createGateway, type GatewaySpec } from "@genledger/core";
import { afterAll, beforeAll, bench, describe } from "vitest";

const body = JSON.stringify({ data: { id: "gen-1", total_cost: 0.0015, model: "m", tokens_prompt: 10 } });
const server = createServer((_req, res) => {
  res.writeHead(200, { "content-type": "application/json" });
  res.end(body);
});
let base = "";
beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const spec: GatewaySpec = {
  provider: "bench",
  displayName: "Bench",
  envPrefix: "BENCH",
  defaultBaseUrl: "http://127.0.0.1",
  authRequired: true,
  parseError: () => undefined,
};
interface Paths {
  "/generation": {
    get: { parameters: { query: { id: string } }; responses: { 200: { content: { "application/json": unknown } } } };
  };
}

let made: ReturnType<typeof createGateway<Paths>> | undefined;
const gateway = () => {
  made ??= createGateway<Paths>(spec, { apiKey: "bench-key-0123456789", baseUrl: base });
  return made;
};

describe("one generation lookup over loopback", () => {
  bench("bare fetch + JSON.parse", async () => {
    const res = await fetch(`${base}/generation?id=gen-1`, {
      headers: { authorization: "Bearer bench-key-0123456789" },
    });
    JSON.parse(await res.text());
  });
  bench("genledger client (auth, timeout, retry policy, typed errors)", async () => {
    const { client, call } = gateway();
    await call(
      () => client.GET("/generation", { params: { query: { id: "gen-1" } }, parseAs: "text" }),
      () => undefined,
    );
  });
});
