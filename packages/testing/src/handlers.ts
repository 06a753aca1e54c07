// @genledger/testing/msw: msw handlers that behave like the gateways, answering from the same routes as the
// loopback server. The only module that imports msw (an optional peer dependency).
import { HttpResponse, http, type RequestHandler } from "msw";
import { type MockGatewayOptions, type MockRequest, mountGateways } from "./routes.js";

export {
  defaultBaseUrls,
  errorBody,
  type Fault,
  type GatewayMock,
  type GatewayName,
  type MockGatewayOptions,
  missingIdPrefix,
  type OxenMock,
} from "./routes.js";

/** One msw handler per gateway, under its base URL (the real one unless `baseUrls` says otherwise). */
export function createHandlers(options: MockGatewayOptions = {}): RequestHandler[] {
  return mountGateways(options).map((gateway) =>
    http.all(`${gateway.baseUrl}/*`, async ({ request }) => {
      const mockRequest: MockRequest = {
        method: request.method,
        url: new URL(request.url),
        header: (name) => request.headers.get(name),
        text: () => request.text(),
      };
      const { status, headers, body, events, cut, drop, delayMs = 0 } = await gateway.answer(mockRequest);
      if (drop) return HttpResponse.error();
      if (!events) return HttpResponse.json(body as Record<string, unknown>, { status, headers });
      const encoder = new TextEncoder();
      const pending = [...events];
      const stream = new ReadableStream<Uint8Array>({
        async pull(controller) {
          await new Promise((resolve) => setTimeout(resolve, delayMs));
          const event = pending.shift();
          if (event !== undefined) controller.enqueue(encoder.encode(event));
          else if (cut) controller.error(new TypeError("terminated: the mock gateway cut the stream"));
          else controller.close();
        },
      });
      return new HttpResponse(stream, { status, headers });
    }),
  );
}
