// The `genledger` command. This module loads only commander: each command imports what it needs when it
// runs, so `genledger --help` loads no gateway, batch, CSV, progress-bar or mock-server code.
import { createRequire } from "node:module";
import { Command, CommanderError, InvalidArgumentError, Option } from "commander";
import { keyVariables } from "./key-variables.js";
import { isProviderName, providerNames, unknownProvider } from "./providers.js";
import { UsageError } from "./usage-error.js";

const envHelp = `
Examples:
  $ genledger get openrouter gen-1763633730-abc --wait
  $ genledger batch ids.txt --concurrency 16 --output costs.jsonl
  $ genledger batch ids.txt --output costs.jsonl --resume
  $ genledger batch ids.txt --into ./genledger.db
  $ genledger resolve --store ./genledger.db --once
  $ genledger report --store ./genledger.db --by day,model --since 2026-11-01
  $ genledger report --store ./genledger.db --by day --format html --output spend.html
  $ genledger list oxen --status failed --json
  $ genledger mock --not-ready 1

Keys and base URLs come from the environment, never from flags:
${keyVariables}
  GENLEDGER_ALLOW_INSECURE_HTTP=1 sends a key over plain http:// to a host that is
  not loopback (a proxy on your network); otherwise that is refused

Exit codes:
  0    success
  1    some lookups failed
  2    usage error (a flag, an argument, a *_BASE_URL)
  4    a key is missing
  130  stopped by SIGINT (Ctrl-C)
  141  the output pipe closed (genledger ... | head)
  143  stopped by SIGTERM
`;

/** A flag's whole number from 1 to `max`, written in decimal digits (no 0x10, 1e3, NaN). */
const wholeNumber = (max: number) => (value: string) => {
  const n = /^\d+$/.test(value.trim()) ? Number(value) : Number.NaN;
  if (!(n >= 1 && n <= max)) throw new InvalidArgumentError(`expected a whole number from 1 to ${max}`);
  return n;
};
// The ledger's and Oxen's own limits (lookups in flight, page size), and what a timer can wait.
const upTo1000 = wholeNumber(1000);
// setTimeout's limit, core's maxTimeoutMs (not imported: `genledger --help` loads commander and nothing else).
const maxTimeoutMs = 2 ** 31 - 1;
const milliseconds = wholeNumber(maxTimeoutMs);

/** Requests a second: a number from 0.01 to 100000 (`2.5` is one every 400 ms). */
function rate(value: string): number {
  const n = /^\d+(\.\d+)?$/.test(value.trim()) ? Number(value) : Number.NaN;
  if (!(n >= 0.01 && n <= 100_000)) {
    throw new InvalidArgumentError("expected requests a second, a number from 0.01 to 100000 (such as 50 or 2.5)");
  }
  return n;
}

/** A duration: `90s`, `30m`, `2h`, `1500ms`, or a bare number of milliseconds; at most 24 days. */
export function duration(value: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(value.trim());
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m?.[2] ?? "ms"] as number;
  const ms = m ? Math.round(Number(m[1]) * unit) : Number.NaN;
  if (!(ms >= 1 && ms <= maxTimeoutMs)) {
    throw new InvalidArgumentError("expected a duration such as 90s, 30m or 2h (or milliseconds), at most 24 days");
  }
  return ms;
}

/** A TCP port: 0 (a free one) to 65535. */
function port(value: string): number {
  const n = /^\d+$/.test(value.trim()) ? Number(value) : Number.NaN;
  if (!(n >= 0 && n <= 65535)) throw new InvalidArgumentError("expected a port from 0 to 65535 (0: a free one)");
  return n;
}

/** A whole number from 0. */
function count(value: string): number {
  const n = /^\d+$/.test(value.trim()) ? Number(value) : Number.NaN;
  if (!(n >= 0 && n <= 1_000_000)) throw new InvalidArgumentError("expected a whole number from 0 to 1000000");
  return n;
}

/** A fault: an HTTP status (400 to 599), optionally `:times` (only the first N calls per id fail). */
function fault(value: string): { status: number; times?: number } {
  const m = /^(\d{3})(?::(\d+))?$/.exec(value.trim());
  const status = Number(m?.[1]);
  if (!m || status < 400 || status > 599) {
    throw new InvalidArgumentError(
      "expected an HTTP status from 400 to 599, optionally :N for the first N calls per id",
    );
  }
  return m[2] === undefined ? { status } : { status, times: Number(m[2]) };
}

export function createProgram(setExit: (code: number) => void): Command {
  const program = new Command("genledger")
    .description(
      "What did this AI generation cost? Look it up on OpenRouter, ZenMux, FastRouter, Oxen.ai or Vercel AI Gateway.",
    )
    .version((createRequire(import.meta.url)("../package.json") as { version: string }).version)
    .showHelpAfterError("(genledger --help, or genledger <command> --help, for the commands and their flags)")
    .addHelpText("after", envHelp)
    .exitOverride()
    .configureOutput({ outputError: (text, write) => write(`genledger: ${text.replace(/^error: /, "")}`) });

  program
    .command("get")
    .description("look up one generation")
    .argument("<provider>", `one of ${providerNames.join(", ")}`)
    .argument("<id>", "the generation id")
    .option("--json", "print the Generation record as JSON (without the gateway's body; see --raw)")
    .option("--raw", "with --json: also the gateway's own response body (Generation.raw)")
    .option("--wait", "poll until the record is ready (OpenRouter's and Vercel's early 404, Oxen jobs in flight)")
    .option("--wait-timeout <ms>", "how long --wait polls (default: 60000, the library's)", milliseconds)
    .action(
      async (
        name: string,
        id: string,
        opts: { json?: boolean; raw?: boolean; wait?: boolean; waitTimeout?: number },
      ) => {
        if (!isProviderName(name)) throw new UsageError(await unknownProvider(name));
        if (id.trim() === "") throw new UsageError(`expected a generation id, got ${JSON.stringify(id)}`);
        if (opts.raw && !opts.json)
          throw new UsageError("--raw needs --json: the gateway's body is part of the JSON record");
        const [{ ledgerFor }, { painter, summary }, { toJson }, { SerialisationError }] = await Promise.all([
          import("./ledger.js"),
          import("./format.js"),
          import("./text.js"),
          import("./rows.js"),
        ]);
        const wait = opts.wait ? { timeoutMs: opts.waitTimeout } : undefined;
        const g = await (await ledgerFor([name])).get(name, id, { wait });
        if (!opts.json) return void process.stdout.write(`${summary(g, painter(process.stdout))}\n`);
        // One rule with batch rows: the gateway's body only when asked for.
        const { raw, ...record } = g;
        const json = toJson(opts.raw ? g : record, 2);
        if ("error" in json) throw new SerialisationError(json.error);
        process.stdout.write(`${json.text}\n`);
      },
    );

  program
    .command("batch")
    .description("look up many generations: lines of provider:id (or bare ids with --provider), - for stdin")
    .argument("<file>", "input file, or - for stdin")
    .option("--provider <provider>", "the provider of lines that are bare ids")
    .option(
      "--concurrency <n>",
      "at most this many lookups in flight (the gateway's rate limit sets the pace)",
      upTo1000,
      8,
    )
    .option("--rate <n>", "your plan's limit, requests a second per gateway: paced to it from the start", rate)
    .option(
      "--deadline <duration>",
      "rows still waiting on the gateway's rate limit after this long (90s, 30m, 2h) fail; default: none",
      duration,
    )
    .option("--output <file>", "write rows here instead of stdout (an existing file needs --resume or --overwrite)")
    .option(
      "--into <store>",
      "keep the records in a store (a SQLite file or postgres://…); refs not final yet are queued for resolve",
    )
    .addOption(new Option("--format <format>", "output format").choices(["jsonl", "csv"]).default("jsonl"))
    .option("--resume", "finish an interrupted run: skip refs already in --output, append the rest")
    .option("--retry-failed", "with --resume: look up again refs that failed with a retryable error")
    .option("--overwrite", "replace an existing --output file")
    .option("--raw", "JSONL rows also hold each gateway's own response body (Generation.raw)")
    .action(
      async (
        input: string,
        opts: {
          provider?: string;
          concurrency: number;
          rate?: number;
          deadline?: number;
          output?: string;
          into?: string;
          format: "jsonl" | "csv";
          resume?: boolean;
          retryFailed?: boolean;
          overwrite?: boolean;
          raw?: boolean;
        },
      ) => {
        const { runBatch } = await import("./batch.js");
        setExit(
          await runBatch({
            ...opts,
            input,
            resume: opts.resume ?? false,
            retryFailed: opts.retryFailed ?? false,
            overwrite: opts.overwrite ?? false,
            raw: opts.raw ?? false,
          }),
        );
      },
    );

  program
    .command("resolve")
    .description("look up the refs a store has queued (not ready, billing pending, a retryable error) until final")
    .requiredOption("--store <store>", "the store: a SQLite file or postgres://…")
    .option("--once", "stop when nothing is due (else run until Ctrl-C)")
    .option("--workers <n>", "lookups in flight at most (the gateway's rate limit sets the pace)", upTo1000, 4)
    .option("--rate <n>", "your plan's limit, requests a second per gateway", rate)
    .option("--lease <duration>", "how long a claimed ref is this worker's if it stops renewing (default 2m)", duration)
    .option("--retry-failed", "first queue again the refs that failed for good (after fixing a key)")
    .option("--retry-given-up", "first queue again the refs given up past their horizon")
    .action(
      async (opts: {
        store: string;
        once?: boolean;
        workers: number;
        rate?: number;
        lease?: number;
        retryFailed?: boolean;
        retryGivenUp?: boolean;
      }) => {
        const { runResolve } = await import("./resolve.js");
        setExit(
          await runResolve({
            ...opts,
            once: opts.once ?? false,
            retryFailed: opts.retryFailed ?? false,
            retryGivenUp: opts.retryGivenUp ?? false,
          }),
        );
      },
    );

  const collect = (value: string, previous: string[] = []) => [...previous, value];
  program
    .command("report")
    .description("a store's exact totals per currency, with tokens and counts, grouped as asked")
    .requiredOption("--store <store>", "the store: a SQLite file or postgres://…")
    .option(
      "--by <keys>",
      "group by model, provider, upstream, basis, day, week, month or tag:NAME (day,model)",
      collect,
    )
    .option("--since <date>", "from this date or ISO date-time (inclusive, UTC)")
    .option("--until <date>", "up to this date or ISO date-time (exclusive)")
    .option(
      "--where <key=value>",
      "only records with tag:NAME=VALUE, model=, provider=, upstream= or basis= (billed, computed, custom; repeatable)",
      collect,
    )
    .addOption(
      new Option("--format <format>", "output format").choices(["table", "json", "csv", "html"]).default("table"),
    )
    .option("--output <file>", "write the report here instead of stdout (an existing file needs --overwrite)")
    .option("--overwrite", "replace an existing --output file")
    .action(
      async (opts: {
        store: string;
        by?: string[];
        since?: string;
        until?: string;
        where?: string[];
        format: "table" | "json" | "csv" | "html";
        output?: string;
        overwrite?: boolean;
      }) => {
        const { runReport } = await import("./report.js");
        setExit(
          await runReport({ ...opts, by: opts.by ?? [], where: opts.where ?? [], overwrite: opts.overwrite ?? false }),
        );
      },
    );

  program
    .command("import")
    .description("put the JSONL rows of an earlier genledger batch into a store (- for stdin)")
    .argument("<file>", "a JSONL file written by genledger batch, or - for stdin")
    .requiredOption("--into <store>", "the store: a SQLite file or postgres://…")
    .action(async (file: string, opts: { into: string }) => {
      const { runImport } = await import("./import.js");
      setExit(await runImport(file, opts));
    });

  program
    .command("store")
    .description("the store itself")
    .command("migrate")
    .description("bring a store's schema up to this genledger's (every command also does it on open)")
    .requiredOption("--store <store>", "the store: a SQLite file or postgres://…")
    .action(async (opts: { store: string }) => {
      const { withStore } = await import("./store.js");
      // The URL as the store shows it: its password hidden.
      // A typo names no store: migrating one is never making one.
      const { url, from, to } = await withStore(opts.store, async (store) => ({ url: store.url, ...store.migrated }), {
        existing: true,
      });
      process.stdout.write(
        from === to ? `${url}: schema version ${to}, up to date\n` : `${url}: schema version ${from} → ${to}\n`,
      );
    });

  const list = program.command("list").description("list generations (Oxen.ai)");
  list
    .command("oxen")
    .description("every Oxen.ai generation matching the filters, streamed page by page")
    .option("--namespace <namespace>", "only this namespace's generations (a user or an organisation)")
    .option("--model <model>", "only generations of this model")
    .addOption(
      new Option("--status <status>", "only jobs in this state").choices([
        "queued",
        "processing",
        "succeeded",
        "failed",
        "cancelled",
      ]),
    )
    .addOption(new Option("--media-type <type>", "only images or only videos").choices(["image", "video"]))
    .option("--repo <repo>", "only generations saved to this repository")
    .option("--folder <folder>", "only generations saved to this folder of the repository")
    .option("--page-size <n>", "rows per request (at most 1000)", upTo1000, 100)
    .option("--json", "print each Generation as a JSON line")
    .action(async (opts: Record<string, string | number | boolean | undefined>) => {
      const { runList } = await import("./list.js");
      await runList(opts);
    });
  // Only Oxen has a list endpoint: another gateway's name gets a sentence, not "unknown command".
  for (const name of providerNames.filter((p) => p !== "oxen")) {
    list
      .command(name, { hidden: true })
      .allowUnknownOption()
      .allowExcessArguments()
      .action(() => {
        throw new UsageError(
          `${name} has no list endpoint: only oxen can list generations; look one up with \`genledger get ${name} <id>\``,
        );
      });
  }

  program
    .command("mock")
    .description("run the mock gateway in the foreground (for trying genledger, or your own tests)")
    .option("--port <n>", "port on 127.0.0.1 (default: 0, a free one)", port)
    .option("--latency <ms>", "delay every response by this long", count)
    .option("--not-ready <n>", "the first N lookups of each id are not ready (404, queued, billing pending)", count)
    .option("--fault <status[:n]>", "answer every lookup with this error status (or only the first n per id)", fault)
    .option("--seed <text>", "the same completion ids and times on every start (default: new ids, the real clock)")
    .option(
      "--rate-limit <n>",
      "allow n lookups a second (a token bucket of n), refusing the rest with 429 and retry-after: 1, as a busy gateway does",
      rate,
    )
    .action(
      async (opts: {
        port?: number;
        latency?: number;
        notReady?: number;
        fault?: { status: number; times?: number };
        rateLimit?: number;
        seed?: string;
      }) => {
        const [{ startMockGateway, gatewayNames, missingIdPrefix }] = await Promise.all([import("@genledger/testing")]);
        const behaviour = {
          ...(opts.latency !== undefined && { delayMs: opts.latency }),
          ...(opts.notReady !== undefined && { notReadyCalls: opts.notReady }),
          // Completions are made with no id: only lookups get the fault.
          ...(opts.fault && {
            fault: (id: string) =>
              id
                ? { ...opts.fault!, retryAfter: 1, message: `mock fault: every lookup answers ${opts.fault!.status}` }
                : undefined,
          }),
          ...(opts.rateLimit !== undefined && {
            rateLimit: { requestsPerSecond: opts.rateLimit, burst: Math.max(1, Math.round(opts.rateLimit)) },
          }),
        };
        const gateway = await startMockGateway({
          port: opts.port ?? 0,
          seed: opts.seed,
          ...Object.fromEntries(gatewayNames.map((name) => [name, behaviour])),
        }).catch((error: NodeJS.ErrnoException) => {
          if (error.code === "EADDRINUSE") {
            throw new UsageError(`port ${opts.port} is in use: choose another --port, or 0 for a free one`);
          }
          throw error;
        });
        process.stdout.write(`genledger mock gateway on ${gateway.url}\n`);
        for (const [name, value] of Object.entries(gateway.env)) process.stdout.write(`export ${name}=${value}\n`);
        // Any key of 8 characters or more is taken (the clients refuse shorter ones).
        for (const name of Object.keys(gateway.env).map((v) => v.replace(/_BASE_URL$/, "_API_KEY"))) {
          process.stdout.write(`export ${name}=mock-key-0123456789\n`);
        }
        // The AI SDK's gateway provider takes its endpoint as an option, not a variable: the README's examples
        // pass it this one (createGateway({ baseURL: process.env.AI_SDK_GATEWAY_URL })).
        const aiSdk = gateway.baseUrls.vercel.replace(/\/v1$/, "/v3/ai");
        process.stdout.write(`export AI_SDK_GATEWAY_URL=${aiSdk}\n`);
        process.stdout.write(
          `# the AI SDK: createGateway({ baseURL: "${aiSdk}" }); createOpenRouter({ baseURL: process.env.OPENROUTER_BASE_URL })\n`,
        );
        process.stdout.write(
          `any key of 8 characters or more works; ids starting with ${missingIdPrefix} answer 404. Ctrl-C to stop.\n`,
        );
        await new Promise<void>((resolve) => {
          for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => resolve());
        });
        await gateway.close();
      },
    );

  program
    .command("demo")
    .description("start the mock gateway on a free port and run the ledger against every gateway")
    .action(async () => {
      const { runDemo } = await import("./demo.js");
      setExit(await runDemo());
    });

  return program;
}

/** Runs the command; resolves to the exit code. */
export async function main(argv: string[]): Promise<number> {
  let code = 0;
  const program = createProgram((c) => {
    code = c;
  });
  try {
    await program.parseAsync(argv);
    return code;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version are not errors.
      return error.exitCode === 0 ? 0 : 2;
    }
    if (error instanceof UsageError) {
      process.stderr.write(`genledger: ${error.message}\n`);
      return 2;
    }
    const [{ AbortError, InvalidArgumentError: BadInput, MissingApiKeyError }, { describeError }] = await Promise.all([
      import("@genledger/core"),
      import("./errors.js"),
    ]);
    if (AbortError.isInstance(error)) return 130;
    process.stderr.write(`genledger: ${describeError(error)}\n`);
    // A missing key and a bad argument or environment value are the caller's to fix: not "lookups failed".
    if (MissingApiKeyError.isInstance(error)) return 4;
    if (BadInput.isInstance(error)) return 2;
    return 1;
  }
}
