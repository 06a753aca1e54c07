// Where one request goes and with which key: the options, else the environment (read per request, so a
// changed variable is seen; each distinct value checked once), else the gateway's default base URL.
import { readEnv } from "./env.js";
import { InvalidArgumentError, MissingApiKeyError, MissingBaseUrlError } from "./errors.js";
import { type BaseUrl, checkBaseUrl, checkKey } from "./options.js";
import type { GatewayClientOptions, GatewaySpec } from "./types.js";

/**
 * `keyAndBaseUrl()` for a gateway: the key (undefined when there is none) and the base URL of one request,
 * checked. The options are checked now (InvalidArgumentError); the environment when it is read.
 */
export function targetOf(
  spec: GatewaySpec,
  options: Pick<GatewayClientOptions, "apiKey" | "baseUrl" | "allowInsecureHttp">,
): () => [string | undefined, string] {
  const { provider, displayName: name } = spec;
  const keyVars = spec.apiKeyEnv ?? [`${spec.envPrefix}_API_KEY`];
  const baseVar = `${spec.envPrefix}_BASE_URL`;
  const defaultSource = `${name}'s default base URL`;

  const givenKey = options.apiKey?.trim();
  if (givenKey) checkKey(givenKey, "option `apiKey`");
  const givenBase = options.baseUrl === undefined ? undefined : checkBaseUrl(options.baseUrl, "option `baseUrl`");
  if (givenKey && givenBase) checkSecure(givenBase, "option `baseUrl`");
  const defaultBase = spec.defaultBaseUrl === undefined ? undefined : checkBaseUrl(spec.defaultBaseUrl, defaultSource);
  // Environment values are checked once per distinct value: [value seen, value checked].
  let envKey: [string?, string?] = [];
  let envBase: [string?, BaseUrl?] = [];

  function checkSecure(base: BaseUrl, source: string) {
    if (base.insecure && !options.allowInsecureHttp) {
      throw new InvalidArgumentError(
        `${source} is plain http:// to a host that is not loopback, so the key would travel unencrypted; use https, or pass \`allowInsecureHttp: true\``,
      );
    }
  }

  /** The key (undefined when there is none) and base URL of one request, checked. */
  function keyAndBaseUrl(): [string | undefined, string] {
    let key = givenKey;
    if (key === undefined) {
      // The first variable that is set; process.env is slow to read, so each is read once.
      let keyVar = keyVars[0] as string;
      let raw: string | undefined;
      for (const v of keyVars) {
        raw = readEnv(v);
        if (raw !== undefined) {
          keyVar = v;
          break;
        }
      }
      if (raw !== envKey[0]) envKey = [raw, raw && checkKey(raw, keyVar)];
      key = envKey[1];
    }
    if (!key && spec.authRequired !== false) throw new MissingApiKeyError(provider, name, keyVars.join(" or "));
    let base = givenBase;
    let source = "option `baseUrl`";
    if (!base) {
      const raw = readEnv(baseVar);
      if (raw !== envBase[0]) envBase = [raw, raw === undefined ? undefined : checkBaseUrl(raw, baseVar)];
      base = envBase[1] ?? defaultBase;
      source = envBase[1] ? baseVar : defaultSource;
      if (!base) throw new MissingBaseUrlError(provider, name, baseVar);
    }
    if (key) checkSecure(base, source);
    return [key || undefined, base.url];
  }

  return keyAndBaseUrl;
}
