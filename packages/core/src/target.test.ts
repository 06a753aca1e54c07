import { afterEach, describe, expect, it, vi } from "vitest";
import { InvalidArgumentError, MissingApiKeyError } from "./errors.js";
import { targetOf } from "./target.js";
import type { GatewaySpec } from "./types.js";

const spec: GatewaySpec = {
  provider: "acme",
  displayName: "Acme",
  envPrefix: "ACME",
  defaultBaseUrl: "https://api.acme.test/v1",
  parseError: () => undefined,
};
const key = "sk-test-target-0123456789";

afterEach(() => vi.unstubAllEnvs());

describe("targetOf", () => {
  it("takes the options first, then the environment, then the default base URL", () => {
    vi.stubEnv("ACME_API_KEY", "env-key-0123456789");
    vi.stubEnv("ACME_BASE_URL", "https://env.acme.test/v2/");
    expect(targetOf(spec, { apiKey: ` ${key} `, baseUrl: "https://given.test/v1" })()).toEqual([
      key,
      "https://given.test/v1",
    ]);
    expect(targetOf(spec, {})()).toEqual(["env-key-0123456789", "https://env.acme.test/v2"]);
    vi.stubEnv("ACME_BASE_URL", undefined);
    expect(targetOf(spec, {})()[1]).toBe("https://api.acme.test/v1");
  });

  it("reads the environment per request, so a changed variable is seen", () => {
    const target = targetOf(spec, {});
    vi.stubEnv("ACME_API_KEY", "first-key-0123456789");
    expect(target()[0]).toBe("first-key-0123456789");
    vi.stubEnv("ACME_API_KEY", "second-key-0123456789");
    expect(target()[0]).toBe("second-key-0123456789");
  });

  it("takes the first variable set of several (apiKeyEnv)", () => {
    vi.stubEnv("ACME_OIDC_TOKEN", "oidc-token-0123456789");
    const target = targetOf({ ...spec, apiKeyEnv: ["ACME_API_KEY", "ACME_OIDC_TOKEN"] }, {});
    vi.stubEnv("ACME_API_KEY", undefined);
    expect(target()[0]).toBe("oidc-token-0123456789");
  });

  it("names every variable when no key is set, and needs none where auth is not required", () => {
    vi.stubEnv("ACME_API_KEY", undefined);
    const error = (() => {
      try {
        targetOf({ ...spec, apiKeyEnv: ["ACME_API_KEY", "ACME_TOKEN"] }, {})();
      } catch (e) {
        return e as Error;
      }
    })();
    expect(MissingApiKeyError.isInstance(error)).toBe(true);
    expect(error?.message).toContain("ACME_API_KEY or ACME_TOKEN");
    expect(targetOf({ ...spec, authRequired: false }, {})()).toEqual([undefined, "https://api.acme.test/v1"]);
  });

  it("checks the options at once, naming the option, and an environment value when it is read", () => {
    expect(() => targetOf(spec, { baseUrl: "ftp://acme.test" })).toThrowError(InvalidArgumentError);
    expect(() => targetOf(spec, { baseUrl: "ftp://acme.test" })).toThrowError(/option `baseUrl`/);
    vi.stubEnv("ACME_API_KEY", key);
    vi.stubEnv("ACME_BASE_URL", "not a url");
    const target = targetOf(spec, {});
    expect(() => target()).toThrowError(/ACME_BASE_URL/);
  });

  it("refuses to send a key over plain http to a host that is not loopback, unless allowed", () => {
    expect(() => targetOf(spec, { apiKey: key, baseUrl: "http://acme.test/v1" })).toThrowError(
      /plain http:\/\/ to a host that is not loopback/,
    );
    expect(targetOf(spec, { apiKey: key, baseUrl: "http://127.0.0.1:8080/v1" })()[1]).toBe("http://127.0.0.1:8080/v1");
    expect(targetOf(spec, { apiKey: key, baseUrl: "http://acme.test/v1", allowInsecureHttp: true })()[1]).toBe(
      "http://acme.test/v1",
    );
  });

  it("never shows a bad key in its error", () => {
    const bad = "sk-bad\u0000key-0123456789";
    const error = (() => {
      try {
        targetOf(spec, { apiKey: bad });
      } catch (e) {
        return e as Error;
      }
    })();
    expect(InvalidArgumentError.isInstance(error)).toBe(true);
    expect(error?.message).not.toContain("sk-bad");
  });
});
