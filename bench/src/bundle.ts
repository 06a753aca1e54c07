// Bundle size as a consumer ships it: a tiny consumer module, `esbuild --bundle --minify --format=esm`, gzip -9.
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";

export interface Consumer {
  name: string;
  source: string;
}

const gateway = (pkg: string, factory: string): string =>
  `import { ${factory} } from "@genledger/${pkg}";
const client = ${factory}();
export const lookup = (id) => client.getGeneration(id);`;

export const consumers = {
  openrouter: { name: "one getGeneration: openrouter", source: gateway("openrouter", "createOpenRouterClient") },
  zenmux: { name: "one getGeneration: zenmux", source: gateway("zenmux", "createZenMuxClient") },
  fastrouter: { name: "one getGeneration: fastrouter", source: gateway("fastrouter", "createFastRouterClient") },
  oxen: { name: "one getGeneration: oxen", source: gateway("oxen", "createOxenClient") },
  vercel: { name: "one getGeneration: vercel", source: gateway("vercel", "createVercelClient") },
  nanogpt: { name: "one getGeneration: nanogpt", source: gateway("nanogpt", "createNanoGPTClient") },
  cloudflare: { name: "one getGeneration: cloudflare", source: gateway("cloudflare", "createCloudflareClient") },
  litellm: { name: "one getGeneration: litellm", source: gateway("litellm", "createLiteLLMClient") },
  helicone: { name: "one getGeneration: helicone", source: gateway("helicone", "createHeliconeClient") },
  ledger: {
    name: "ledger + all four adapters",
    source: `import { createLedger } from "@genledger/normalize";
import { openrouter } from "@genledger/normalize/openrouter";
import { zenmux } from "@genledger/normalize/zenmux";
import { fastrouter } from "@genledger/normalize/fastrouter";
import { oxen } from "@genledger/normalize/oxen";
const ledger = createLedger({ providers: [openrouter(), zenmux(), fastrouter(), oxen()] });
export const lookup = (provider, id) => ledger.get(provider, id);`,
  },
  openapiFetch: {
    name: "anchor: bare openapi-fetch GET",
    source: `import createClient from "openapi-fetch";
const client = createClient({ baseUrl: "https://openrouter.ai/api/v1", headers: { authorization: "Bearer " + process.env.KEY } });
export const lookup = (id) => client.GET("/generation", { params: { query: { id } } });`,
  },
  sdk: {
    name: "anchor: @openrouter/sdk client",
    source: `import { OpenRouter } from "@openrouter/sdk";
const sdk = new OpenRouter({ apiKey: process.env.KEY });
export const lookup = (id) => sdk.generations.getGeneration({ id });`,
  },
  sdkStandalone: {
    name: "anchor: @openrouter/sdk standalone function",
    source: `import { OpenRouterCore } from "@openrouter/sdk/core.js";
import { generationsGetGeneration } from "@openrouter/sdk/funcs/generationsGetGeneration.js";
const core = new OpenRouterCore({ apiKey: process.env.KEY });
export const lookup = (id) => generationsGetGeneration(core, { id });`,
  },
} satisfies Record<string, Consumer>;

export interface BundleSize {
  minified: number;
  gzip: number;
}

/** Resolves packages from bench/, where every @genledger package and the anchors are installed. */
export async function bundleSize(source: string): Promise<BundleSize> {
  const result = await build({
    stdin: { contents: source, resolveDir: fileURLToPath(new URL("..", import.meta.url)), loader: "js" },
    bundle: true,
    minify: true,
    format: "esm",
    write: false,
    logLevel: "silent",
  });
  const code = result.outputFiles[0]!.contents;
  return { minified: code.length, gzip: gzipSync(code, { level: 9 }).length };
}

/**
 * Where the bytes of one `getGeneration` bundle go: the same consumer built from the sources, each
 * module's minified bytes (esbuild's metafile), largest first.
 */
export async function bundleBreakdown(): Promise<Array<{ module: string; minified: number }>> {
  const packages = fileURLToPath(new URL("../../packages/", import.meta.url));
  const result = await build({
    stdin: {
      contents: `import { createOpenRouterClient } from "${packages}openrouter/src/index.ts";
const client = createOpenRouterClient();
export const lookup = (id) => client.getGeneration(id);`,
      resolveDir: fileURLToPath(new URL("..", import.meta.url)),
      loader: "ts",
    },
    // Subpaths first: esbuild's alias is a prefix match.
    alias: {
      "@genledger/core/errors": `${packages}core/src/errors.ts`,
      "@genledger/core/internal": `${packages}core/src/internal.ts`,
      "@genledger/core": `${packages}core/src/index.ts`,
    },
    bundle: true,
    minify: true,
    format: "esm",
    write: false,
    metafile: true,
    logLevel: "silent",
  });
  const output = Object.values(result.metafile.outputs)[0]!;
  return Object.entries(output.inputs)
    .map(([path, input]) => ({ module: path.replace(/^.*packages\//, ""), minified: input.bytesInOutput }))
    .filter((m) => m.minified > 0 && !m.module.startsWith("<"))
    .sort((a, b) => b.minified - a.minified);
}
