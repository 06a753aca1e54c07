// Child process: the rate-limits benchmark's gateway, an OpenRouter stand-in that allows `requestsPerSecond`
// (the mock's token bucket, or a one-second window stated in x-ratelimit-*), after `delayMs` of latency.
// Prints its base URL as one JSON line, then serves until killed.
import { type MockRateLimit, startMockGateway } from "@genledger/testing";

const { delayMs, rateLimit } = JSON.parse(process.argv[2] ?? "{}") as { delayMs: number; rateLimit: MockRateLimit };
const gateway = await startMockGateway({ openrouter: { delayMs, rateLimit } });
process.stdout.write(`${JSON.stringify({ url: gateway.baseUrls.openrouter })}\n`);
process.once("SIGTERM", () => void gateway.close().then(() => process.exit(0)));
