// The batch anchor: the same lookups as `genledger batch` with bare fetch + JSON.parse, c workers, one JSONL row
// per ref streamed to a file. Plain JavaScript, so its start-up is node's alone.
// usage: node raw-batch.mjs <refs file> <concurrency> <output file>   (base URL from OPENROUTER_BASE_URL)
import { once } from "node:events";
import { createWriteStream } from "node:fs";
import { readFile } from "node:fs/promises";

const [input, concurrency, output] = process.argv.slice(2);
const base = process.env.OPENROUTER_BASE_URL;
const headers = { authorization: `Bearer ${process.env.OPENROUTER_API_KEY}` };
const refs = (await readFile(input, "utf8")).split("\n").filter(Boolean);
const out = createWriteStream(output);
let next = 0;
let drained; // one wait for every worker held up by a full stream
async function worker() {
  while (next < refs.length) {
    const ref = refs[next++];
    const id = ref.slice(ref.indexOf(":") + 1);
    const res = await fetch(`${base}/generation?id=${encodeURIComponent(id)}`, { headers });
    const body = JSON.parse(await res.text());
    if (!out.write(`${JSON.stringify({ ref, status: res.status, body })}\n`)) {
      drained ??= once(out, "drain").finally(() => {
        drained = undefined;
      });
    }
    if (drained) await drained;
  }
}
await Promise.all(Array.from({ length: Number(concurrency) }, worker));
out.end();
await once(out, "finish");
