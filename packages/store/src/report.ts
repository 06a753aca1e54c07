// Reports: totals grouped by model, provider, upstream, day, week, month or a tag, summed by the database
// and exact: PostgreSQL sums NUMERIC; SQLite sums the integer limbs of each amount (records.ts), per scale,
// and the few sums per group are put together here with exact decimal arithmetic.
import { InvalidArgumentError } from "@genledger/core";
import { addDecimals, checkOptions, costUnit, isTagName } from "@genledger/normalize";
import type { Engine, SqlValue } from "./driver.js";
import { finalRank, fromLimbs, limbCount } from "./records.js";
import type { QueueStats } from "./types.js";

export type ReportKey = "model" | "provider" | "upstream" | "basis" | "day" | "week" | "month" | `tag:${string}`;

export interface ReportQuery {
  /** Keys to group by, such as `["day", "model"]` or `["tag:customer"]`; none (the default): one row of totals. */
  by?: readonly ReportKey[] | undefined;
  /** From this instant (inclusive): a `YYYY-MM-DD` date (UTC midnight), an ISO date-time, a Date or epoch ms. */
  since?: string | number | Date | undefined;
  /** Up to this instant (exclusive): `--since 2026-11-01 --until 2026-12-01` is November. */
  until?: string | number | Date | undefined;
  /**
   * Only records that match every entry: `{ "tag:customer": "acme", model: "openai/gpt-4o" }`. Keys are
   * `tag:NAME`, `model`, `provider`, `upstream` or `basis` (`billed`, `computed`, `custom`); any other key is
   * an error, never a silent empty report.
   */
  where?: Readonly<Record<string, string>> | undefined;
}

export interface ReportTotals {
  /** Records. */
  count: number;
  /** Of which not final yet (billing pending or an estimate): their amounts may still change. */
  pending: number;
  /** Exact totals per unit (a currency, or a gateway's own credits: `"zenmux credits"`), as `sumCosts` gives them. */
  cost: Record<string, string>;
  /**
   * Records with a cost, by its basis: `billed` by the gateway, `computed` by it from a price table, or
   * `custom` (from the caller's prices). A sum over more than one basis mixes invoices with estimates.
   */
  bases: { billed?: number; computed?: number; custom?: number };
  tokens: { input: number; output: number; reasoning: number; cachedInput: number; total: number };
}

export interface ReportRow extends ReportTotals {
  /** The group: each `by` key's value (null: the record has none, e.g. no such tag). */
  key: Record<string, string | null>;
}

export interface Report {
  by: ReportKey[];
  since: string | null;
  until: string | null;
  where: Record<string, string>;
  rows: ReportRow[];
  total: ReportTotals;
  /** Refs still waiting for a lookup (no record yet, or not final), and those that never resolved. */
  queue: QueueStats;
}

const plainKeys = ["model", "provider", "upstream", "basis", "day", "week", "month"];
const whereKeys = ["model", "provider", "upstream", "basis"];
const columns: Record<string, string> = {
  model: "g.model",
  provider: "g.provider",
  upstream: "g.upstream_provider",
  basis: "g.cost_basis",
};

/** An instant from a report option; InvalidArgumentError saying which option and what it got. */
export function parseInstant(value: unknown, name: string): number | undefined {
  if (value === undefined) return undefined;
  let ms = Number.NaN;
  if (value instanceof Date) ms = value.getTime();
  else if (typeof value === "number") ms = value;
  else if (typeof value === "string") {
    const text = value.trim();
    if (/^\d{4}-\d{2}-\d{2}$/.test(text)) ms = Date.parse(`${text}T00:00:00Z`);
    else if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(text)) ms = Date.parse(text);
    // Date.parse accepts 2026-02-31 (it rolls over): the calendar date must read back as itself, whatever
    // the offset after it.
    const [y, m, d] = text.slice(0, 10).split("-").map(Number) as [number, number, number];
    if (Number.isFinite(ms) && new Date(Date.UTC(y, m - 1, d)).toISOString().slice(0, 10) !== text.slice(0, 10)) {
      ms = Number.NaN;
    }
  }
  if (!Number.isFinite(ms)) {
    throw new InvalidArgumentError(
      `report: ${name} must be a date (2026-11-01) or an ISO date-time (2026-11-01T12:00:00Z), got ${JSON.stringify(value)}`,
    );
  }
  return ms;
}

function checkQuery(query: ReportQuery): {
  by: ReportKey[];
  since?: number;
  until?: number;
  where: [string, string][];
} {
  // since and until take a string, a number or a Date: parseInstant checks them.
  const { since: _since, until: _until, ...rest } = (query ?? {}) as ReportQuery;
  checkOptions("report", rest, { by: "an object", since: [0, 0], until: [0, 0], where: "an object" });
  if (query?.by !== undefined && !Array.isArray(query.by))
    throw new InvalidArgumentError(`report: \`by\` must be an array of ${plainKeys.join(", ")} or tag:NAME`);
  const by = [...(query?.by ?? [])];
  for (const k of by) {
    if (typeof k !== "string" || !(plainKeys.includes(k) || (k.startsWith("tag:") && isTagName(k.slice(4))))) {
      throw new InvalidArgumentError(
        `report: cannot group by ${JSON.stringify(k)}: use ${plainKeys.join(", ")} or tag:NAME`,
      );
    }
  }
  if (new Set(by).size !== by.length)
    throw new InvalidArgumentError(`report: \`by\` names a key twice: ${by.join(",")}`);
  const since = parseInstant(query.since, "since");
  const until = parseInstant(query.until, "until");
  if (since !== undefined && until !== undefined && since >= until) {
    throw new InvalidArgumentError("report: since must be before until");
  }
  const where = Object.entries(query.where ?? {});
  for (const [name, value] of where) {
    if (!(whereKeys.includes(name) || (name.startsWith("tag:") && isTagName(name.slice(4)))))
      throw new InvalidArgumentError(
        `report: cannot filter on ${JSON.stringify(name)}: use ${whereKeys.join(", ")} or tag:NAME (tag:customer=acme)`,
      );
    if (typeof value !== "string")
      throw new InvalidArgumentError(`report: where ${JSON.stringify(name)} must be a string`);
    if (name === "basis" && !["billed", "computed", "custom"].includes(value))
      throw new InvalidArgumentError(`report: basis ${JSON.stringify(value)} is none of billed, computed and custom`);
  }
  return { by: by as ReportKey[], ...(since !== undefined && { since }), ...(until !== undefined && { until }), where };
}

const emptyTotals = (): ReportTotals => ({
  count: 0,
  pending: 0,
  cost: {},
  bases: {},
  tokens: { input: 0, output: 0, reasoning: 0, cachedInput: 0, total: 0 },
});

function add(into: ReportTotals, from: ReportTotals): void {
  into.count += from.count;
  into.pending += from.pending;
  for (const [currency, amount] of Object.entries(from.cost)) {
    into.cost[currency] = addDecimals(into.cost[currency] ?? "0", amount);
  }
  for (const [basis, n] of Object.entries(from.bases) as [keyof ReportTotals["bases"], number][]) {
    into.bases[basis] = (into.bases[basis] ?? 0) + n;
  }
  for (const k of Object.keys(into.tokens) as (keyof ReportTotals["tokens"])[]) into.tokens[k] += from.tokens[k];
}

export async function runReport(engine: Engine, query: ReportQuery, queue: () => Promise<QueueStats>): Promise<Report> {
  const q = checkQuery(query);
  const sqlite = engine.kind === "sqlite";
  const args: SqlValue[] = [];
  const joins: string[] = [];
  const keys = q.by.map((k, i) => {
    if (k.startsWith("tag:")) {
      joins.push(
        `LEFT JOIN generation_tags t${i} ON t${i}.provider = g.provider AND t${i}.id = g.id AND t${i}.name = ?`,
      );
      args.push(k.slice(4));
      return `t${i}.value`;
    }
    const expressions: Record<string, string> = {
      ...columns,
      day: "g.day",
      week: sqlite ? "date(g.day, 'weekday 0', '-6 days')" : "to_char(date_trunc('week', g.day::date), 'YYYY-MM-DD')",
      month: "substr(g.day, 1, 7)",
    };
    return expressions[k] as string;
  });
  const conditions: string[] = [];
  if (q.since !== undefined) {
    conditions.push("g.at_ms >= ?");
    args.push(q.since);
  }
  if (q.until !== undefined) {
    conditions.push("g.at_ms < ?");
    args.push(q.until);
  }
  for (const [name, value] of q.where) {
    if (name.startsWith("tag:")) {
      conditions.push(
        "EXISTS (SELECT 1 FROM generation_tags w WHERE w.provider = g.provider AND w.id = g.id AND w.name = ? AND w.value = ?)",
      );
      args.push(name.slice(4), value);
    } else {
      conditions.push(`${columns[name]} = ?`);
      args.push(value);
    }
  }
  // SQLite reads a report without tags from the report index, which holds every column it needs and none
  // of the records' JSON: twice as fast as a pass over the table (measured in pnpm bench). With tags, one
  // pass over the table: walking the day index would fetch each row by its rowid, slower still.
  const tagged = joins.length > 0 || q.where.some(([n]) => n.startsWith("tag:"));
  const plan = !sqlite ? "" : tagged ? " NOT INDEXED" : " INDEXED BY generations_report";
  const money = sqlite
    ? `g.cost_scale AS scale, ${Array.from({ length: limbCount }, (_, i) => `CAST(sum(g.cost_l${i}) AS TEXT) AS l${i}`).join(", ")}`
    : "sum(g.cost_amount)::text AS amount";
  const tokens = ["input", "output", "reasoning", "cached_input", "total"]
    // SQLite's sum() fails on a 64-bit overflow; total() cannot, and is exact (a double) below 2^53, where
    // the counts the store takes (at most 10^12 each) stay for 9,000 records at the limit.
    .map((t) => (sqlite ? `total(g.${t}_tokens) AS ${t}` : `sum(g.${t}_tokens)::text AS ${t}`))
    .join(", ");
  // A gateway's own unit (credits) is its own: its rows carry the provider, so no sum crosses gateways.
  const owner = "CASE WHEN length(g.currency) = 3 AND upper(g.currency) = g.currency THEN NULL ELSE g.provider END";
  const groupBy = Array.from({ length: keys.length + (sqlite ? 4 : 3) }, (_, i) => i + 1);
  const sql = `SELECT ${keys.map((k, i) => `${k} AS k${i}, `).join("")}g.currency AS currency, ${owner} AS owner, g.cost_basis AS basis, ${money},
      count(*) AS n, sum(CASE WHEN g.rank = ${finalRank} THEN 0 ELSE 1 END) AS pending, ${tokens}
    FROM generations g${plan} ${joins.join(" ")}
    ${conditions.length ? `WHERE ${conditions.join(" AND ")}` : ""}
    GROUP BY ${groupBy.join(", ")}`;
  const rows = await engine.query(sql, args);

  const groups = new Map<string, ReportRow>();
  for (const r of rows) {
    const key = Object.fromEntries(q.by.map((k, i) => [k, r[`k${i}`] === null ? null : String(r[`k${i}`])]));
    const id = JSON.stringify(q.by.map((k) => key[k]));
    let group = groups.get(id);
    if (!group) {
      group = { key, ...emptyTotals() };
      groups.set(id, group);
    }
    const part = emptyTotals();
    part.count = Number(r.n);
    part.pending = Number(r.pending);
    if (r.currency !== null && r.currency !== undefined) {
      const amount = sqlite
        ? fromLimbs(
            Array.from({ length: limbCount }, (_, i) => r[`l${i}`] as string | null),
            Number(r.scale),
          )
        : String(r.amount);
      part.cost[costUnit(r.owner === null ? undefined : String(r.owner), String(r.currency))] = amount;
      if (r.basis !== null && r.basis !== undefined) {
        part.bases[String(r.basis) as keyof ReportTotals["bases"]] = part.count;
      }
    }
    part.tokens = {
      input: Number(r.input ?? 0),
      output: Number(r.output ?? 0),
      reasoning: Number(r.reasoning ?? 0),
      cachedInput: Number(r.cached_input ?? 0),
      total: Number(r.total ?? 0),
    };
    add(group, part);
  }
  const sorted = [...groups.values()].sort((a, b) => {
    for (const k of q.by) {
      const x = a.key[k] ?? null;
      const y = b.key[k] ?? null;
      if (x === y) continue;
      if (x === null) return 1;
      if (y === null) return -1;
      return x < y ? -1 : 1;
    }
    return 0;
  });
  const total = emptyTotals();
  for (const g of sorted) add(total, g);
  return {
    by: q.by,
    since: q.since === undefined ? null : new Date(q.since).toISOString(),
    until: q.until === undefined ? null : new Date(q.until).toISOString(),
    where: Object.fromEntries(q.where),
    rows: sorted,
    total,
    queue: await queue(),
  };
}
