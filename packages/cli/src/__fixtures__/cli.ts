// The command, run as a child process against a real mock gateway on 127.0.0.1: what every CLI test file shares.
import { spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { type MockGateway, type StartMockGatewayOptions, startMockGateway } from "@genledger/testing";
import { afterEach, beforeEach } from "vitest";

export const bin = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "dist", "bin.js");
export const keys = {
  OPENROUTER_API_KEY: "or-test-key-0123456789",
  ZENMUX_API_KEY: "zm-test-key-0123456789",
  FASTROUTER_API_KEY: "fr-test-key-0123456789",
  AI_GATEWAY_API_KEY: "ag-test-key-0123456789",
  NANOGPT_API_KEY: "ng-test-key-0123456789",
  CLOUDFLARE_API_TOKEN: "cf-test-token-0123456789",
  LITELLM_API_KEY: "sk-litellm-test-0123456789",
  HELICONE_API_KEY: "sk-helicone-test-0123456789",
};

export let gateway: MockGateway | undefined;
export let server: Server | undefined;
export let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "genledger-cli-"));
});
afterEach(async () => {
  await gateway?.close();
  gateway = undefined;
  server?.closeAllConnections();
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  server = undefined;
  await rm(dir, { recursive: true, force: true });
});

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `genledger args` with the gateway's base URLs and test keys (unless `env` overrides them).
 * With `tty`, under a pseudo-terminal (util-linux `script`), so stdout and stderr are TTYs.
 */
export function genledger(
  args: string[],
  options: { env?: Record<string, string | undefined>; stdin?: string; tty?: boolean } = {},
): Promise<Run> {
  const env: Record<string, string | undefined> = {
    ...process.env,
    NO_COLOR: "1",
    ...gateway?.env,
    ...keys,
    ...options.env,
  };
  for (const name of Object.keys(env)) if (env[name] === undefined) delete env[name];
  const [command, argv] = options.tty
    ? [
        "script",
        // The terminal starts at 0 × 0 when script's own stdin is none: 80 columns, as a terminal opens.
        [
          "-qec",
          `stty cols 80 rows 24 && ${[process.execPath, bin, ...args].map((a) => `'${a}'`).join(" ")}`,
          "/dev/null",
        ],
      ]
    : [process.execPath, [bin, ...args]];
  return new Promise((resolve, reject) => {
    const child = spawn(command, argv, { env: env as NodeJS.ProcessEnv, stdio: "pipe" });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(options.stdin ?? "");
  });
}

export async function mock(options: StartMockGatewayOptions = {}) {
  gateway = await startMockGateway(options);
  return gateway;
}

export const jsonLines = (text: string) =>
  text
    .split("\n")
    .filter(Boolean)
    .map(
      (l) => JSON.parse(l) as { ref: string; generation?: { id: string }; error?: { name: string; message: string } },
    );

/** `genledger mock ...args` in the foreground, and what it printed once it is serving. */
export async function runMock(args: string[] = []) {
  const child = spawn(process.execPath, [bin, "mock", ...args], {
    stdio: "pipe",
    env: { ...process.env, NO_COLOR: "1" },
  });
  const output = await new Promise<string>((resolve) => {
    let text = "";
    child.stdout.on("data", (d) => {
      text += d;
      if (text.includes("Ctrl-C")) resolve(text);
    });
  });
  return { child, output };
}

/** An OpenRouter-shaped gateway on 127.0.0.1 answering `body(id)`; its base URL as OPENROUTER_BASE_URL. */
export async function openRouterAnswering(body: (id: string) => string): Promise<Record<string, string>> {
  server = createServer((req, res) => {
    const id = new URL(req.url ?? "/", "http://127.0.0.1").searchParams.get("id") ?? "";
    res.writeHead(200, { "content-type": "application/json" });
    res.end(body(id));
  });
  await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
  return { OPENROUTER_BASE_URL: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1` };
}

export const refsIn = async (lines: string[]) => {
  const file = join(dir, "refs.txt");
  await writeFile(file, `${lines.join("\n")}\n`);
  return file;
};
