import { fastRouterGateway } from "@genledger/fastrouter";
import { openRouterGateway } from "@genledger/openrouter";
import { oxenGateway } from "@genledger/oxen";
import { vercelGateway } from "@genledger/vercel";
import { zenMuxGateway } from "@genledger/zenmux";
import { describe, expect, it } from "vitest";
import { fastrouter, openrouter, oxen, vercel, zenmux } from "../gateways.js";

// The mock serves what the client reads: the same server, environment and error envelope.
const definitions = {
  openrouter: openRouterGateway,
  zenmux: zenMuxGateway,
  fastrouter: fastRouterGateway,
  oxen: oxenGateway,
  vercel: vercelGateway,
} as const;

const mocks = { openrouter, zenmux, fastrouter, oxen, vercel };

describe.each(Object.keys(mocks) as (keyof typeof mocks)[])("the %s mock", (name) => {
  const mock = mocks[name];
  const gateway = definitions[name];
  it("is served where the client looks, under the client's environment prefix", () => {
    expect(mock.baseUrl + (mock.clientPath ?? "")).toBe(gateway.defaultBaseUrl);
    expect(mock.env).toBe(gateway.envPrefix);
  });
  it("answers errors in the envelope the client reads", () => {
    for (const status of [400, 401, 404, 429, 500]) {
      expect(gateway.parseError(mock.errorBody(status, "went wrong")), String(status)).toMatchObject({
        message: "went wrong",
      });
    }
  });
});
