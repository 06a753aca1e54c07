// A stand-in gateway for the tests: the msw server, a client of it, and `sequence` to script its answers.

import { createFetchClient } from "@genledger/core/fetch-client";
import { createGateway, type GatewayClientOptions, type GatewaySpec } from "@genledger/core/internal";
import { HttpResponse, http } from "msw";
import { useMswServer } from "../../../../test-utils/msw.js";

export const base = "https://gateway.test/v1";
export const key = "sk-test-0123456789abcdefSECRET";

export const spec: GatewaySpec = {
  provider: "acme",
  displayName: "Acme",
  envPrefix: "ACME",
  defaultBaseUrl: base,
  authRequired: true,
  parseError: (body) => {
    const e = (body as { error?: { message?: string; code?: string } })?.error;
    return e ? { message: e.message, code: e.code } : undefined;
  },
};

export interface Paths {
  "/thing": {
    get: {
      parameters: { query: { id: string } };
      responses: { 200: { content: { "application/json": { id: string } } } };
    };
  };
  "/things/{thing_id}": {
    get: {
      parameters: { path: { thing_id: string } };
      responses: { 200: { content: { "application/json": { id: string } } } };
    };
  };
}

/** Called at the top of a test file: its msw server, a client of it, and `sequence` to script its answers. */
export function useGatewayServer() {
  const server = useMswServer();
  function gateway(options: GatewayClientOptions = {}) {
    const g = createGateway(spec, { apiKey: key, baseUrl: base, ...options });
    return {
      client: createFetchClient<Paths>(g),
      rateLimit: g.rateLimit,
      get: (id: string, signal?: AbortSignal, deadline?: number) =>
        g.request<{ id: string }>({ method: "GET", path: "/thing", query: { id }, signal, deadline }, (b) =>
          typeof (b as { id?: unknown })?.id === "string" ? undefined : "an `id` that is not a string",
        ),
    };
  }

  /** Answers each request with the next of `responses` (the last one repeats) and counts attempts. */
  function sequence(...responses: Array<() => Response | Promise<Response>>) {
    const seen: Request[] = [];
    server.use(
      http.all(`${base}/*`, ({ request }) => {
        seen.push(request);
        return (responses[Math.min(seen.length, responses.length) - 1] as () => Response)();
      }),
    );
    return seen;
  }
  return { server, gateway, sequence };
}

export const ok = () => HttpResponse.json({ id: "gen-1" });
export const status =
  (
    code: number,
    body: Record<string, unknown> = { error: { message: `boom ${code}`, code: `E${code}` } },
    headers = {},
  ) =>
  () =>
    HttpResponse.json(body, { status: code, headers: { "retry-after-ms": "0", ...headers } });
