import { AuthenticationError, BadRequestError, NotFoundError, PermissionDeniedError } from "@genledger/core";
import { describe, expect, it } from "vitest";
import { ok, status, useGatewayServer } from "./__fixtures__/gateway.js";

const { gateway, sequence } = useGatewayServer();

describe("retries: which statuses", () => {
  it.each([408, 409, 429, 500, 502, 503, 524, 529])("retries %i and then succeeds", async (code) => {
    const seen = sequence(status(code), ok);
    await expect(gateway().get("gen-1")).resolves.toEqual({ id: "gen-1" });
    expect(seen).toHaveLength(2);
  });

  it.each([
    [400, BadRequestError],
    [401, AuthenticationError],
    [403, PermissionDeniedError],
    [404, NotFoundError],
    [422, BadRequestError],
  ])("never retries %i", async (code, ErrorClass) => {
    const seen = sequence(status(code), ok);
    const error = await gateway()
      .get("gen-1")
      .catch((e) => e);
    expect(ErrorClass.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ status: code, provider: "acme", code: `E${code}`, retryable: false });
    expect(seen).toHaveLength(1);
  });
});
