// The `genledger` command.
import { createRequire } from "node:module";
import { AbortError } from "@genledger/core";
import { addDecimals, type ProviderName } from "@genledger/normalize";
import { Command, CommanderError, InvalidArgumentError, Option } from "commander";
import { type BatchFormat, runBatch } from "./batch.js";
import { costText, painter, summary, totalsText } from "./format.js";
import { describeError, isProviderName, ledgerFor, providerNames } from "./ledger.js";
import { UsageError } from "./usage-error.js";

const envHelp = `
Keys and base URLs come from the environment, never from flags:
  OPENROUTER_API_KEY  ZENMUX_API_KEY  FASTROUTER_API_KEY  OXEN_API_KEY (optional)
  OPENROUTER_BASE_URL ZENMUX_BASE_URL FASTROUTER_BASE_URL OXEN_BASE_URL

Exit codes: 0 success, 1 some lookups failed, 2 usage error.
`;

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError("expected a whole number of at least 1");
  return n;
}

function provider(value: string): ProviderName {
  if (!isProviderName(value)) throw new InvalidArgumentError(`expected one of ${providerNames.join(", ")}`);
  return value;
}

export function createProgram(setExit: (code: number) => void): Command {
  const program = new Command("genledger")
    .description("What did this AI generation cost? Look it up on OpenRouter, ZenMux, FastRouter or Oxen.ai.")
    .version((createRequire(import.meta.url)("../package.json") as { version: string }).version)
    .showHelpAfterError()
    .addHelpText("after", envHelp)
    .exitOverride()
    .configureOutput({ outputError: (text, write) => write(`genledger: ${text.replace(/^error: /, "")}`) });

  program
    .command("get")
    .description("look up one generation")
    .argument("<provider>", `one of ${providerNames.join(", ")}`, provider)
    .argument("<id>", "the generation id")
    .option("--json", "print the Generation record as JSON")
    .option("--wait", "poll until the record is ready (OpenRouter's early 404, Oxen jobs in flight)")
    .option("--wait-timeout <ms>", "how long --wait polls", positiveInt, 30_000)
    .action(async (name: ProviderName, id: string, opts: { json?: boolean; wait?: boolean; waitTimeout: number }) => {
      const wait = opts.wait ? { timeoutMs: opts.waitTimeout } : undefined;
      const g = await ledgerFor().get(name, id, { wait });
      process.stdout.write(opts.json ? `${JSON.stringify(g, null, 2)}\n` : `${summary(g, painter(process.stdout))}\n`);
    });

  program
    .command("batch")
    .description("look up many generations: lines of provider:id (or bare ids with --provider), - for stdin")
    .argument("<file>", "input file, or - for stdin")
    .option("--provider <provider>", "the provider of lines that are bare ids")
    .option("--concurrency <n>", "lookups in flight at once", positiveInt, 8)
    .option("--output <file>", "write rows here instead of stdout")
    .addOption(new Option("--format <format>", "output format").choices(["jsonl", "csv"]).default("jsonl"))
    .option("--resume", "skip refs already in --output (after an interrupted run)")
    .action(
      async (
        input: string,
        opts: { provider?: string; concurrency: number; output?: string; format: BatchFormat; resume?: boolean },
      ) => {
        setExit(await runBatch({ input, ...opts, resume: opts.resume ?? false }));
      },
    );

  const list = program.command("list").description("list generations (Oxen.ai)");
  list
    .command("oxen")
    .description("every Oxen.ai generation matching the filters, streamed page by page")
    .option("--namespace <namespace>")
    .option("--model <model>")
    .addOption(new Option("--status <status>").choices(["queued", "processing", "succeeded", "failed", "cancelled"]))
    .addOption(new Option("--media-type <type>").choices(["image", "video"]))
    .option("--repo <repo>")
    .option("--folder <folder>")
    .option("--page-size <n>", "rows per request (at most 1000)", positiveInt, 100)
    .option("--json", "print each Generation as a JSON line")
    .action(async (opts: Record<string, string | number | boolean | undefined>) => {
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
      for await (const g of ledgerFor().list(
        "oxen",
        Object.fromEntries(Object.entries(query).filter(([, v]) => v !== undefined)),
      )) {
        count++;
        if (g.cost) totals[g.cost.currency] = addDecimals(totals[g.cost.currency] ?? "0", g.cost.amount);
        process.stdout.write(
          opts.json
            ? `${JSON.stringify(g)}\n`
            : `${[g.id, g.status.padEnd(10), (g.model ?? "–").padEnd(16), g.createdAt ?? "–", costText(g)].join("  ")}\n`,
        );
      }
      process.stderr.write(`genledger list: ${count} generations; total cost ${totalsText(totals)}\n`);
    });

  program
    .command("mock")
    .description("run the mock gateway in the foreground (for trying genledger, or your own tests)")
    .option("--port <n>", "port on 127.0.0.1 (default: a free one)", (v) => Number.parseInt(v, 10), 0)
    .action(async (opts: { port: number }) => {
      // msw and the mock server load only for the commands that use them.
      const { startMockGateway } = await import("@genledger/testing");
      const gateway = await startMockGateway({ port: opts.port });
      process.stdout.write(`genledger mock gateway on ${gateway.url}\n`);
      for (const [name, value] of Object.entries(gateway.env)) process.stdout.write(`export ${name}=${value}\n`);
      process.stdout.write("any key works; ids starting with missing- answer 404. Ctrl-C to stop.\n");
      await new Promise<void>((resolve) => {
        for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => resolve());
      });
      await gateway.close();
    });

  program
    .command("demo")
    .description("start the mock gateway on a free port and run the ledger against all four gateways")
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
    if (AbortError.isInstance(error)) return 130;
    process.stderr.write(`genledger: ${describeError(error)}\n`);
    return 1;
  }
}
