// The four gateways that tell a cost by a header's id (NanoGPT, Cloudflare AI Gateway, LiteLLM's proxy,
// Helicone), run as the user runs them: the built command against the mock, into a real SQLite store.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { dir, genledger, mock, refsIn } from "./__fixtures__/cli.js";

const refs = [
  "nanogpt:req_cli_1",
  "cloudflare:acc-1/gw-1/01KCLI0000000000000000000",
  "litellm:chatcmpl-cli-1",
  "helicone:0b3e2f9a-7c4d-4e1f-8a2b-5d6c7e8f9a0b",
];

describe("genledger with NanoGPT, Cloudflare AI Gateway, LiteLLM and Helicone", () => {
  it("get --wait waits out each not-ready phase and prints the cost with its basis", async () => {
    await mock({
      nanogpt: { notReadyCalls: 1, notReadyRetryAfter: 0 },
      cloudflare: { notReadyCalls: 1 },
      litellm: { notReadyCalls: 1 },
      helicone: { notReadyCalls: 1 },
    });
    for (const ref of refs) {
      const [provider, id] = [ref.slice(0, ref.indexOf(":")), ref.slice(ref.indexOf(":") + 1)];
      const r = await genledger(["get", provider, id, "--wait", "--json"]);
      expect(r.stderr).toBe("");
      expect(r.code).toBe(0);
      const g = JSON.parse(r.stdout);
      expect(g).toMatchObject({
        provider,
        id,
        cost: { currency: "USD", basis: provider === "nanogpt" ? "billed" : "computed" },
      });
    }
  });

  it("batch --into queues what is not ready, resolve --once settles it, report --by provider,basis shows each", async () => {
    await mock({
      nanogpt: { notReadyCalls: 1, notReadyRetryAfter: 0 },
      cloudflare: { notReadyCalls: 1 },
      litellm: { notReadyCalls: 1 },
      helicone: { notReadyCalls: 1 },
    });
    const store = join(dir, "ledger.db");
    const batch = await genledger(["batch", await refsIn(refs), "--into", store]);
    expect(batch.code).toBe(0);
    expect(batch.stderr).toContain("4 refs queued for genledger resolve");
    // The resolver's own backoff would wait seconds: the test makes the refs due now instead.
    const { openStore } = await import("@genledger/store");
    const s = await openStore(store);
    await s.query("UPDATE pending_refs SET due_at = 0");
    await s.close();
    const resolve = await genledger(["resolve", "--store", store, "--once"]);
    expect(resolve.code).toBe(0);
    const report = await genledger(["report", "--store", store, "--by", "provider,basis", "--format", "json"]);
    expect(report.code).toBe(0);
    expect(JSON.parse(report.stdout).rows.map((r: { key: Record<string, string> }) => r.key)).toEqual([
      { provider: "cloudflare", basis: "computed" },
      { provider: "helicone", basis: "computed" },
      { provider: "litellm", basis: "computed" },
      { provider: "nanogpt", basis: "billed" },
    ]);
    const table = await genledger(["report", "--store", store, "--by", "provider"]);
    expect(table.stdout).toContain(
      "3 records of these cost what the gateway computed from a price table, not what it billed: --by basis shows them apart",
    );
    const csv = await genledger(["report", "--store", store, "--by", "basis", "--format", "csv"]);
    expect(csv.stdout.split("\n")[0]).toMatch(/^basis,count,/);
    expect(csv.stdout).toContain("\ncomputed,3,");
    const billed = await genledger(["report", "--store", store, "--where", "basis=billed", "--format", "json"]);
    expect(JSON.parse(billed.stdout).total).toMatchObject({ count: 1, bases: { billed: 1 } });
  });

  it("says LITELLM_BASE_URL is needed where it is not set, and the ref's shape for Cloudflare", async () => {
    await mock();
    const litellm = await genledger(["get", "litellm", "chatcmpl-1"], { env: { LITELLM_BASE_URL: undefined } });
    expect(litellm.code).not.toBe(0);
    expect(litellm.stderr).toContain("LITELLM_BASE_URL");
    const cloudflare = await genledger(["get", "cloudflare", "01KJUSTALOGID"]);
    expect(cloudflare.code).not.toBe(0);
    expect(cloudflare.stderr).toContain("{account_id}/{gateway_id}/{log_id}");
  });
});
