import { openStore } from "@genledger/store";
import { storeRecord, expectedUnits, unitsText } from "./store-records.js";
const path = "/tmp/rep1m.db";
const N = 1_000_000;
const s = await openStore(path, { raw: false });
const have = (await s.report({})).total.count;
if (have < N) {
  const t = Date.now();
  for (let i = have; i < N; i += 10_000) await s.put(Array.from({ length: Math.min(10_000, N - i) }, (_, k) => ({ generation: storeRecord("r", i + k) })));
  console.log("seeded", N - have, "in", Date.now() - t, "ms");
}
const times: number[] = []; let total = "";
for (let r = 0; r < 3; r++) { const t = performance.now(); const rep = await s.report({ by: ["day", "model"] }); times.push(performance.now() - t); total = rep.total.cost.USD; }
console.log("report by day,model ms", times.map(Math.round), "exact:", total === unitsText(expectedUnits(N)));
await s.close();
