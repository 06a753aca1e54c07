// Which gateway served a request, told from its URL: the five gateways' public base URLs are built
// in; `createCapture({ gateways })` adds others (a proxy, a mock on 127.0.0.1) or overrides them.
import { InvalidArgumentError, readEnv } from "@genledger/core/internal";
import { baseUrlEnv } from "./base-url-env.js";
import { builtInGateways } from "./base-urls.js";

export { builtInGateways };

/** The variable, or nothing where the environment may not be read (Deno without --allow-env throws). */
function envOrNothing(name: string): string | undefined {
  try {
    return readEnv(name);
  } catch {
    return undefined;
  }
}

function isUrl(text: string): boolean {
  try {
    new URL(text);
    return true;
  } catch {
    return false;
  }
}

/** What a captured request is: an OpenAI chat completion, a Responses API call, or the AI SDK gateway endpoint. */
export type CapturedApi = "chat.completions" | "responses" | "ai-sdk";

const apis: readonly [suffix: string, api: CapturedApi][] = [
  ["/chat/completions", "chat.completions"],
  ["/responses", "responses"],
  ["/language-model", "ai-sdk"],
];

export interface GatewayMatcher {
  /**
   * The gateway and API of a POST to `url`, and the path after the gateway's base URL (where Cloudflare's
   * account and gateway are), or undefined when it is not a completion of a known gateway.
   */
  match(url: string): { provider: string; api: CapturedApi; rest: string } | undefined;
  /** The base URL of a call shaped like a gateway's (`…/chat/completions`, `…/language-model`), known or not. */
  shape(url: string): string | undefined;
}

/**
 * A gateway's other endpoints beside a base URL given for it, derived from the built-in ones: where a
 * gateway serves several paths on one origin (Vercel's OpenAI-compatible `/v1` and the AI SDK's `/v3/ai`
 * and `/v4/ai`), a base given with one of them (`AI_GATEWAY_BASE_URL=http://127.0.0.1:5000/vercel/v1`)
 * brings the others.
 */
function withSiblings(given: Readonly<Record<string, string>>): Record<string, string> {
  const paths = (provider: string) =>
    Object.entries(builtInGateways)
      .filter(([, p]) => p === provider)
      .map(([base]) => new URL(base));
  const out: Record<string, string> = {};
  for (const [base, provider] of Object.entries(given)) {
    if (!isUrl(base)) continue;
    const trimmed = base.replace(/\/+$/, "");
    for (const a of paths(provider)) {
      if (!trimmed.endsWith(a.pathname)) continue;
      for (const b of paths(provider)) {
        if (b.origin === a.origin && b.pathname !== a.pathname) {
          out[`${trimmed.slice(0, -a.pathname.length)}${b.pathname}`] = provider;
        }
      }
    }
  }
  return out;
}

/**
 * Base URLs (longest first, so a more specific one wins), checked once: the built-in ones, those of
 * the `*_BASE_URL` environment variables the gateway clients read, then `extra`.
 */
export function gatewayMatcher(extra: Readonly<Record<string, string>> = {}): GatewayMatcher {
  const fromEnv = Object.entries(baseUrlEnv).flatMap(([name, provider]) => {
    const base = envOrNothing(name);
    return base && isUrl(base) ? [[base, provider] as const] : [];
  });
  const given = { ...Object.fromEntries(fromEnv), ...extra };
  const bases = Object.entries({ ...builtInGateways, ...withSiblings(given), ...given }).map(([base, provider]) => {
    let url: URL;
    try {
      url = new URL(base);
    } catch {
      throw new InvalidArgumentError(`capture option gateways: ${JSON.stringify(base)} is not a URL`);
    }
    if (typeof provider !== "string" || provider === "") {
      throw new InvalidArgumentError(`capture option gateways: ${JSON.stringify(base)} must name a provider`);
    }
    return [`${url.origin}${url.pathname.replace(/\/+$/, "")}`, provider] as const;
  });
  bases.sort((a, b) => b[0].length - a[0].length);
  return {
    match(url) {
      const q = url.indexOf("?");
      const path = q < 0 ? url : url.slice(0, q);
      const api = apis.find(([suffix]) => path.endsWith(suffix));
      if (!api) return undefined;
      const base = bases.find(([b]) => path.startsWith(`${b}/`));
      return base && { provider: base[1], api: api[1], rest: path.slice(base[0].length) };
    },
    shape(url) {
      const q = url.indexOf("?");
      const path = q < 0 ? url : url.slice(0, q);
      const api = apis.find(([suffix]) => path.endsWith(suffix));
      return api && path.slice(0, -api[0].length);
    },
  };
}
