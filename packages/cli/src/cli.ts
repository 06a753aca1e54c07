// The `genledger` command. This module loads only commander: each command imports what it needs when it
// runs, so `genledger --help` loads no gateway, batch, CSV, progress-bar or mock-server code.
import { createRequire } from "node:module";
import { Command, CommanderError, InvalidArgumentError, Option } from "commander";
import { type CliProvider, isProviderName, providerNames } from "./providers.js";
import { UsageError } from "./usage-error.js";

const envHelp = `
Keys and base URLs come from the environment, never from flags:
  OPENROUTER_API_KEY  ZENMUX_API_KEY  FASTROUTER_API_KEY  OXEN_API_KEY (optional)  AI_GATEWAY_API_KEY (or VERCEL_OIDC_TOKEN)
  OPENROUTER_BASE_URL ZENMUX_BASE_URL FASTROUTER_BASE_URL OXEN_BASE_URL AI_GATEWAY_BASE_URL

Exit codes: 0 success, 1 some lookups failed, 2 usage error, 130/143 stopped by SIGINT/SIGTERM.
`;

/** A flag's whole number from 1 to `max`, written in decimal digits (no 0x10, 1e3, NaN). */
const wholeNumber = (max: number) => (value: string) => {
  const n = /^\d+$/.test(value.trim()) ? Number(value) : Number.NaN;
  if (!(n >= 1 && n <= max)) throw new InvalidArgumentError(`expected a whole number from 1 to ${max}`);
  return n;
};
// The ledger's and Oxen's own limits (lookups in flight, page size), and what a timer can wait.
const upTo1000 = wholeNumber(1000);
const milliseconds = wholeNumber(2_147_483_647);

function provider(value: string): CliProvider {
  if (!isProviderName(value)) throw new InvalidArgumentError(`expected one of ${providerNames.join(", ")}`);
  return value;
}

export function createProgram(setExit: (code: number) => void): Command {
  const program = new Command("genledger")
    .description(
      "What did this AI generation cost? Look it up on OpenRouter, ZenMux, FastRouter, Oxen.ai or Vercel AI Gateway.",
    )
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
    .option("--wait", "poll until the record is ready (OpenRouter's and Vercel's early 404, Oxen jobs in flight)")
    .option("--wait-timeout <ms>", "how long --wait polls", milliseconds, 30_000)
    .action(async (name: CliProvider, id: string, opts: { json?: boolean; wait?: boolean; waitTimeout: number }) => {
      const [{ ledgerFor }, { painter, summary }, { toJson }, { SerialisationError }] = await Promise.all([
        import("./ledger.js"),
        import("./format.js"),
        import("./text.js"),
        import("./rows.js"),
      ]);
      const wait = opts.wait ? { timeoutMs: opts.waitTimeout } : undefined;
      const g = await (await ledgerFor([name])).get(name, id, { wait });
      if (!opts.json) return void process.stdout.write(`${summary(g, painter(process.stdout))}\n`);
      const json = toJson(g, 2);
      if ("error" in json) throw new SerialisationError(json.error);
      process.stdout.write(`${json.text}\n`);
    });

  program
    .command("batch")
    .description("look up many generations: lines of provider:id (or bare ids with --provider), - for stdin")
    .argument("<file>", "input file, or - for stdin")
    .option("--provider <provider>", "the provider of lines that are bare ids")
    .option("--concurrency <n>", "lookups in flight at once", upTo1000, 8)
    .option("--output <file>", "write rows here instead of stdout (an existing file needs --resume or --overwrite)")
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
          output?: string;
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
    .option("--page-size <n>", "rows per request (at most 1000)", upTo1000, 100)
    .option("--json", "print each Generation as a JSON line")
    .action(async (opts: Record<string, string | number | boolean | undefined>) => {
      const { runList } = await import("./list.js");
      await runList(opts);
    });

  program
    .command("mock")
    .description("run the mock gateway in the foreground (for trying genledger, or your own tests)")
    .option("--port <n>", "port on 127.0.0.1 (default: a free one)", (v) => Number.parseInt(v, 10), 0)
    .action(async (opts: { port: number }) => {
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
    const [{ AbortError }, { describeError }] = await Promise.all([import("@genledger/core"), import("./errors.js")]);
    if (AbortError.isInstance(error)) return 130;
    process.stderr.write(`genledger: ${describeError(error)}\n`);
    return 1;
  }
}
