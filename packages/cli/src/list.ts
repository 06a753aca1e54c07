// genledger list oxen: every matching Oxen.ai generation, streamed page by page.
import { addDecimals, costUnit } from "@genledger/normalize";
import { costText, totalsText } from "./format.js";
import { ledgerFor } from "./ledger.js";
import { SerialisationError } from "./rows.js";
import { clean, toJson } from "./text.js";

export async function runList(opts: Record<string, string | number | boolean | undefined>): Promise<void> {
  const query = {
    namespace: opts.namespace as string | undefined,
    model: opts.model as string | undefined,
    status: opts.status as "failed" | undefined,
    media_type: opts.mediaType as "image" | undefined,
    repo: opts.repo as string | undefined,
    folder: opts.folder as string | undefined,
    page_size: Math.min(1000, opts.pageSize as number),
  };
  const totals: Record<string, string> = {};
  let count = 0;
  const ledger = await ledgerFor(["oxen"]);
  // A header, like the batch table's; the column widths are fixed so rows can stream.
  const widths = [36, 10, 16, 24];
  const row = (cells: string[]) =>
    cells.map((c, i) => (i < widths.length ? c.padEnd(widths[i] as number) : c)).join("  ");
  let header = !opts.json;
  for await (const g of ledger.list(
    "oxen",
    Object.fromEntries(Object.entries(query).filter(([, v]) => v !== undefined)),
  )) {
    count++;
    if (g.cost) {
      const unit = costUnit(g.provider, g.cost.currency);
      totals[unit] = addDecimals(totals[unit] ?? "0", g.cost.amount);
    }
    if (opts.json) {
      const json = toJson(g);
      if ("error" in json) throw new SerialisationError(json.error);
      process.stdout.write(`${json.text}\n`);
    } else {
      if (header) {
        process.stdout.write(`${row(["id", "status", "model", "created", "cost"])}\n`);
        header = false;
      }
      const cells = [g.id, g.status, g.model ?? "–", g.createdAt ?? "–", costText(g)];
      process.stdout.write(`${row(cells.map(clean))}\n`);
    }
  }
  process.stderr.write(`genledger list: ${count} generations; total cost ${totalsText(totals)}\n`);
}
