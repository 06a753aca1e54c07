// The full typed openapi-fetch client over a gateway's transport. Kept apart from `createGateway`
// so that a consumer who only looks generations up does not ship openapi-fetch, nor this.
import createClient, { type Client } from "openapi-fetch";
import { type Gateway, pathSegment, type RawResponse, sendRaw } from "./gateway.js";
import { parseJson } from "./json.js";
import { redact, redactText } from "./redact.js";

// openapi-fetch fixes the base URL when the client is made, but ours is read from the environment
// per request: its requests are built against this placeholder and rebased by the gateway.
const placeholderBase = "http://genledger.base.invalid";

/**
 * An openapi-fetch client whose every call goes through `gateway` (auth, timeouts, retries, cap).
 * The answer is not checked, but the key is replaced wherever it shows in its status text, headers
 * and body.
 */
export function createFetchClient<Paths extends {}>(gateway: Gateway): Client<Paths, `${string}/${string}`> {
  return createClient<Paths>({
    baseUrl: placeholderBase,
    async fetch(request: Request) {
      const headers: Record<string, string> = {};
      request.headers.forEach((value, name) => {
        headers[name] = value;
      });
      const [r, key] = await gateway[sendRaw]({
        method: request.method,
        path: request.url.slice(placeholderBase.length),
        headers,
        body: request.body ? await request.text() : undefined,
        signal: request.signal,
      });
      const safe = key ? redactEchoes(r, key) : r;
      const empty = r.status === 204 || r.status === 205 || r.status === 304;
      return new Response(empty ? null : safe.text, {
        status: r.status,
        statusText: safe.statusText,
        headers: safe.headers,
      });
    },
    pathSerializer: (pathname, params) =>
      pathname.replace(/\{([^{}]+)\}/g, (match, name: string) => {
        const value = params?.[name];
        return value === undefined || value === null ? match : pathSegment(String(value), name);
      }),
  });
}

/** The answer with the key replaced in its status text, headers and body (also behind JSON escapes). */
function redactEchoes(r: RawResponse, key: string): RawResponse {
  const headers = new Headers();
  r.headers.forEach((value, name) => {
    headers.append(name, redactText(value, key));
  });
  let text = redactText(r.text, key);
  if (r.text.includes("\\")) {
    try {
      text = JSON.stringify(redact(parseJson(r.text), [key]));
    } catch {}
  }
  return { status: r.status, statusText: redactText(r.statusText, key), headers, text };
}
