// Child process: the reference a rate-limited job is measured against, in some 50 lines. Plain fetch, `c`
// workers sharing one pacer: it starts at 50/s and grows ×1.25 every 250 ms until the first 429; on each
// 429 it sets its rate to 97 % of the rate times the share of requests served since its last cut, and
// grows 1 % a second while no 429 comes. A refused ref goes again. "Since its last cut" is read as the
// answers to requests sent after it, ten at least, and never less than half the rate at once: read
// literally (every 429 a cut, on what just came back), the backlog of refusals a cut cannot yet have
// prevented cuts it again and again, to a pace far under the gateway's. Prints one line as rate-client.ts does.
import type { RateClientResult } from "./rate-client.js";

const { url, refs, concurrency } = JSON.parse(process.argv[2] ?? "{}") as {
  url: string;
  refs: number;
  concurrency: number;
};
let rate = 50;
let limited = false;
let next = performance.now();
let grownAt = next;
let cutAt = 0;
let served = 0;
let answered = 0;
let requests = 0;
let rateLimited = 0;
let failed = 0;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits for this request's turn at the shared pace. */
async function turn(): Promise<void> {
  const now = performance.now();
  const grow = now - grownAt;
  if (!limited && grow >= 250) [rate, grownAt] = [rate * 1.25 ** Math.floor(grow / 250), now];
  else if (limited && grow > 0) [rate, grownAt] = [rate * (1 + 0.01 * (grow / 1000)), now];
  const at = Math.max(now, next);
  next = at + 1000 / rate;
  if (at > now) await sleep(at - now);
}

let index = 0;
async function worker(): Promise<void> {
  while (index < refs) {
    const id = `gen-${index++}`;
    for (;;) {
      await turn();
      requests++;
      const sentAt = performance.now();
      const response = await fetch(`${url}/generation?id=${id}`, {
        headers: { authorization: "Bearer bench-key-0123456789" },
      });
      await response.arrayBuffer();
      const fresh = sentAt > cutAt;
      if (fresh) answered++;
      if (response.status !== 429) {
        if (fresh) served++;
        if (!response.ok) failed++;
        break;
      }
      rateLimited++;
      // A cut needs a sample of what the last one did: ten answers to requests sent since it.
      if (!fresh || answered < 10) continue;
      // The cut: the share served of the answers since the last one; then a fresh count.
      rate = Math.max(rate / 2, 0.97 * rate * (served / answered));
      [served, answered, cutAt, limited, grownAt] = [0, 0, performance.now(), true, performance.now()];
    }
  }
}

const started = performance.now();
await Promise.all(Array.from({ length: concurrency }, worker));
const result: RateClientResult = { wallMs: performance.now() - started, rateLimited, requests, failed, rss: [] };
process.stdout.write(`${JSON.stringify(result)}\n`);
