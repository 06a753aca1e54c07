// genledger demo: the ledger against the mock gateway, no keys, no network.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Generation, sumCosts } from "@genledger/normalize";
import { startMockGateway } from "@genledger/testing";
import { breakdownText, generationHeaders, generationRow, painter, table, totalsText } from "./format.js";
import { ledgerFor } from "./ledger.js";
import { providerNames } from "./providers.js";
import { renderReport } from "./report.js";
import { clean } from "./text.js";

export async function runDemo(): Promise<number> {
  const paint = painter(process.stdout);
  const gateway = await startMockGateway({
    openrouter: { notReadyCalls: 2 }, // stats not ready for the first two lookups
    vercel: { notReadyCalls: 1 }, // "available shortly after the generation completes"
    zenmux: { notReadyCalls: Number.POSITIVE_INFINITY }, // billing arrives minutes later
    oxen: { jobs: 7 }, // three pages of three
  });
  try {
    process.stdout.write(
      `${paint("bold", "genledger demo")} — mock gateway on ${gateway.url} (no keys, no network)\n\n`,
    );
    const ledger = await ledgerFor(providerNames, { baseUrls: gateway.baseUrls, apiKey: "demo-key-not-a-secret" });
    const rows: Generation[] = [];
    const wait = { timeoutMs: 10_000, intervalMs: 200 };

    const started = Date.now();
    rows.push(await ledger.get("openrouter", "gen-demo-1763633730-Xq2", { wait }));
    process.stdout.write(
      `openrouter: stats were not ready at first (404); polled until ready in ${Date.now() - started} ms\n`,
    );
    const zen = await ledger.get("zenmux", "gen_demo_zenmux_01");
    rows.push(zen);
    process.stdout.write(`zenmux: billing ${zen.billing} (ZenMux bills 3–5 minutes after the request)\n`);
    rows.push(await ledger.get("fastrouter", "gen-demo-fastrouter-7f3a"));
    const gen = await ledger.get("vercel", "gen_01KAQDEMQ7V3RC2XG8PZ5N4HWB", { wait });
    rows.push(gen);
    process.stdout.write(`vercel: not ready at first (404); ${breakdownText(gen.cost?.breakdown ?? [])} USD\n`);
    // Every other gateway the command knows (a new one shows up here by itself).
    const shown = new Set(["openrouter", "zenmux", "fastrouter", "vercel", "oxen"]);
    // (A Cloudflare ref names its account and gateway too.)
    for (const name of providerNames.filter((p) => !shown.has(p))) {
      const id = name === "cloudflare" ? "demo-account/demo-gateway/01KDEMO0CF0000000000000000" : `gen-demo-${name}`;
      rows.push(await ledger.get(name, id, { wait }));
    }
    const failed = await ledger.get("oxen", "failed-demo-video-job");
    rows.push(failed);
    process.stdout.write(`oxen: job ${failed.status}: ${clean(failed.error ?? "")}\n`);
    let listed = 0;
    for await (const g of ledger.list("oxen", { namespace: "ox", page_size: 3 })) {
      rows.push(g);
      listed++;
    }
    process.stdout.write(`oxen: listed ${listed} jobs across ${Math.ceil(listed / 3)} pages\n\n`);

    process.stdout.write(`${table(generationHeaders, rows.map(generationRow))}\n\n`);
    process.stdout.write(`${paint("bold", "total")}: ${totalsText(sumCosts(rows))}\n\n`);
    await storeAndReport(rows, paint);
    return 0;
  } finally {
    await gateway.close();
  }
}

/** The same records kept in an embedded store (a SQLite file in a temporary folder), and reported from it. */
async function storeAndReport(rows: Generation[], paint: ReturnType<typeof painter>): Promise<void> {
  const { openStore } = await import("@genledger/store");
  const folder = await mkdtemp(join(tmpdir(), "genledger-demo-"));
  try {
    const path = join(folder, "genledger.db");
    const store = await openStore(path);
    try {
      const { written } = await store.put(rows.map((generation) => ({ generation, tags: { team: "demo" } })));
      process.stdout.write(
        `${paint("bold", "kept")}: ${written} records in ${path}, a temporary folder removed when the demo ends (genledger batch --into, capture and import write to a store of yours)\n\n`,
      );
      for (const by of [["provider", "basis"], ["day"]] as const) {
        process.stdout.write(`${paint("bold", `genledger report --by ${by.join(",")}`)}\n`);
        process.stdout.write(`${await renderReport(await store.report({ by }), "table")}\n`);
      }
    } finally {
      await store.close();
    }
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}
