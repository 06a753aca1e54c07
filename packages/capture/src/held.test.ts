// What capture holds, it lets go: listeners on the caller's signal, bodies the caller dropped (and their
// sockets), and a request it cannot pass on faithfully is never rewritten.
import { getEventListeners } from "node:events";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { createCapture } from "@genledger/capture";
import { createLedger } from "@genledger/normalize";
import { openrouter } from "@genledger/normalize/openrouter";
import { type MockGateway, startMockGateway } from "@genledger/testing";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

const apiKey = "test-key-123";
let mock: MockGateway;
beforeEach(async () => {
  mock = await startMockGateway();
});
afterEach(async () => {
  await mock.close();
});

const capturing = (baseUrl = mock.baseUrls.openrouter) =>
  createCapture({
    ledger: createLedger({ providers: [openrouter({ apiKey, baseUrl, maxRetries: 0 })] }),
    gateways: { [baseUrl]: "openrouter" },
  });
const completion = (signal?: AbortSignal) => ({
  method: "POST",
  headers: { "content-type": "application/json", authorization: `Bearer ${apiKey}` },
  body: JSON.stringify({ model: "openai/gpt-4o-mini", messages: [{ role: "user", content: "hi" }] }),
  signal,
});

describe("capture lets go", () => {
  it("of its listener on an app-wide AbortSignal when each call ends", async () => {
    const capture = capturing();
    const url = `${mock.baseUrls.openrouter}/chat/completions`;
    const count = async (fetch: typeof globalThis.fetch) => {
      const app = new AbortController();
      for (let i = 0; i < 200; i++) await (await fetch(url, completion(app.signal))).json();
      return getEventListeners(app.signal, "abort").length;
    };
    // fetch itself keeps one per Request until the Request is collected: capture may add none of its own.
    const plain = await count(globalThis.fetch);
    const captured = await count(capture.fetch);
    expect(captured).toBeLessThanOrEqual(plain);
    await capture.close();
  });

  it("of a streamed body the caller dropped unread: its socket is freed once it is collected", async () => {
    // A gateway that sends the first event of each stream, then holds the connection open.
    let open = 0;
    const server: Server = createServer((req, res) => {
      open++;
      req.socket.once("close", () => open--);
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.write('data: {"id":"gen-1","choices":[{"delta":{"content":"hi"}}]}\n\n');
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1`;
    const capture = capturing(baseUrl);
    try {
      for (let i = 0; i < 100; i++) await capture.fetch(`${baseUrl}/chat/completions`, completion());
      expect(open).toBe(100);
      await capture.close();
      setFlagsFromString("--expose-gc");
      const gc = runInNewContext("gc") as () => void;
      // Collected and freed as soon as the runtime gets to it, however busy the machine is.
      while (open > 0) {
        gc();
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(open).toBe(0);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it("never sends a request it cannot pass on as given: a header with CRLF fails as fetch fails it", async () => {
    const capture = capturing();
    const url = `${mock.baseUrls.openrouter}/chat/completions`;
    const before = mock.stats.requests;
    const init = completion();
    const headers = { ...init.headers, "x-other": "a\r\nb", "x-genledger-tags": encodeURIComponent('{"c":"1"}') };
    const plain = await globalThis.fetch(url, { ...init, headers }).catch((e: unknown) => e);
    const captured = await capture.fetch(url, { ...init, headers }).catch((e: unknown) => e);
    expect(plain).toBeInstanceOf(TypeError);
    expect(captured).toBeInstanceOf(TypeError);
    expect((captured as Error).message).toBe((plain as Error).message);
    expect(mock.stats.requests).toBe(before);
    await capture.close();
  });
});
