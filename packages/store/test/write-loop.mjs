// An app writing to a store in a loop, as capture's store writes do: a put of a few records, then an enqueue,
// again and again. Prints `ok <id>` for each record the store acknowledged and `err <code>` for each write that
// failed; stops on SIGTERM (closing the store) or exits with what crashed it. Runs the built package.
import { openStore } from "../dist/index.js";

const store = await openStore(process.argv[2]);
let stopping = false;
process.on("SIGTERM", () => {
  stopping = true;
});
const record = (id) => ({
  provider: "openrouter",
  id,
  model: "m",
  upstream: { provider: null, id: null },
  status: "succeeded",
  createdAt: "2026-11-20T10:00:00.000Z",
  startedAt: null,
  completedAt: null,
  timing: { timeToFirstTokenMs: null, generationMs: null },
  usage: { inputTokens: 1, outputTokens: 1, reasoningTokens: null, cachedInputTokens: null, totalTokens: 2 },
  cost: { amount: "0.001", currency: "USD", upstreamAmount: null, discountAmount: null, breakdown: null },
  billing: "final",
  finishReason: "stop",
  nativeFinishReason: null,
  streamed: false,
  byok: false,
  error: null,
  raw: null,
});
for (let n = 0; !stopping; n++) {
  const ids = [0, 1, 2].map((i) => `w-${n}-${i}`);
  try {
    await store.put(ids.map((id) => ({ generation: record(id), tags: { run: "restart" } })));
    await store.enqueue([{ ref: { provider: "openrouter", id: `q-${n}` } }]);
    process.stdout.write(`ok ${ids.join(" ")} q-${n}\n`);
  } catch (error) {
    process.stdout.write(`err ${error?.code ?? "untyped"} ${JSON.stringify(String(error?.message))}\n`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
await store.close();
