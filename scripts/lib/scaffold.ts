// `pnpm gateway:new <name>`: a new gateway's spec folder, client package, normalize subpath and mock,
// and the lists of gateways derived again (registry.ts), so that it builds and its placeholder tests pass at once.
import { mkdir, readdir, readFile, stat, writeFile } from "node:fs/promises";
import { dirname, join, relative } from "node:path";
import { parseDocument } from "yaml";
import { generateSource } from "./generate.js";
import { registerGateways } from "./registry.js";
import { readSource, repoRoot, SpecError } from "./specs.js";
import { syncProvider } from "./sync.js";

export interface UpstreamPage {
  /** The file name under specs/<name>/upstream/. */
  file: string;
  url: string;
}

export interface GatewayOptions {
  /** One lower-case word: the folder, package, provider and adapter name (`vercel` → `@genledger/vercel`, `vercel()`). */
  name: string;
  /** Shown in messages and docs; default the name capitalized. */
  title?: string | undefined;
  /** Environment prefix: `<ENV>_API_KEY`, `<ENV>_BASE_URL`; default the name upper-cased. */
  env?: string | undefined;
  /** The documented server; default a placeholder under `.invalid`. */
  baseUrl?: string | undefined;
  /** The page(s) the hand-written spec is written from; taken now, like `pnpm specs:sync`. */
  pages: UpstreamPage[];
  /** Read the pages from `<from>/<name>/<file>` instead of their URLs (as `specs:sync --from`). */
  from?: string | undefined;
}

export interface Names {
  name: string;
  /** `Vercel`: in type and factory names (`createVercelClient`, `VercelGeneration`). */
  Name: string;
  /** `vercel`: in value names (`vercelGateway`, `vercelMock`). */
  camel: string;
  title: string;
  ENV: string;
  baseUrl: string;
}

/** Where the scaffolder reads its templates; the gateway it copies the build set-up from. */
export const templatesDir = join(repoRoot, "scripts", "templates", "gateway");
export const referenceGateway = "zenmux";
const reserved = new Set(["core", "normalize", "testing", "cli", "all", "sdk", "bench", "generated"]);

export function namesFor(options: Pick<GatewayOptions, "name" | "title" | "env" | "baseUrl">): Names {
  const { name } = options;
  // One word: it is also the adapter factory's name and the CLI's provider name.
  if (!/^[a-z][a-z0-9]*$/.test(name)) {
    throw new SpecError(`gateway name ${JSON.stringify(name)}: use one lower-case word of a-z and 0-9, e.g. "vercel"`);
  }
  if (reserved.has(name)) throw new SpecError(`gateway name ${JSON.stringify(name)} is taken by the workspace`);
  // The title's spelling where its first word is the name (`NanoGPT` → `createNanoGPTClient`), else capitalized.
  const word = options.title?.split(" ")[0] ?? "";
  const Name =
    word.toLowerCase() === name && /^[A-Za-z][A-Za-z0-9]*$/.test(word) ? word : name[0]!.toUpperCase() + name.slice(1);
  const ENV = options.env ?? name.toUpperCase();
  if (!/^[A-Z][A-Z0-9_]*$/.test(ENV)) throw new SpecError(`--env ${JSON.stringify(ENV)}: use A-Z, 0-9 and _`);
  const baseUrl = (options.baseUrl ?? `https://${name}.invalid/api/v1`).replace(/\/+$/, "");
  try {
    new URL(baseUrl);
  } catch {
    throw new SpecError(`--base-url ${JSON.stringify(baseUrl)} is not a URL`);
  }
  return { name, Name, camel: Name[0]!.toLowerCase() + Name.slice(1), title: options.title ?? Name, ENV, baseUrl };
}

export function render(text: string, names: Names): string {
  return text
    .replaceAll("__name__", names.name)
    .replaceAll("__Name__", names.Name)
    .replaceAll("__camel__", names.camel)
    .replaceAll("__title__", names.title)
    .replaceAll("__ENV__", names.ENV)
    .replaceAll("__baseUrl__", names.baseUrl);
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

async function* walk(dir: string): AsyncGenerator<string> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(path);
    else yield path;
  }
}

export interface ScaffoldResult {
  names: Names;
  /** Files written, relative to the root. */
  written: string[];
  /** Existing files edited (registrations). */
  edited: string[];
}

export async function scaffoldGateway(options: GatewayOptions, root = repoRoot): Promise<ScaffoldResult> {
  const names = namesFor(options);
  const { name } = names;
  for (const dir of [join("specs", name), join("packages", name)]) {
    if (await exists(join(root, dir))) throw new SpecError(`${dir} already exists; pick another name or remove it`);
  }
  if (options.pages.length === 0) {
    throw new SpecError("give the page(s) the spec is written from: --page <url> (or --page <file>=<url>)");
  }
  const written: string[] = [];
  const edited: string[] = [];
  const write = async (path: string, text: string) => {
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), text);
    written.push(path);
  };

  // 1. Templates: the gateway's own sources, spec skeleton, normalize subpath and mock.
  for await (const file of walk(templatesDir)) {
    const target = render(relative(templatesDir, file), names).replace(/\.tmpl$/, "");
    await write(target, render(await readFile(file, "utf8"), names));
  }

  // 2. Build set-up copied from a gateway that exists, so it follows the workspace's build layout.
  const reference = join(root, "packages", referenceGateway);
  for (const entry of await readdir(reference, { withFileTypes: true })) {
    if (!entry.isFile() || /^(README|CHANGELOG)\.md$/.test(entry.name)) continue;
    const text = (await readFile(join(reference, entry.name), "utf8"))
      .replaceAll(referenceGateway, name)
      .replaceAll("ZenMux", names.title);
    if (entry.name === "package.json") {
      const pkg = JSON.parse(text);
      pkg.name = `@genledger/${name}`;
      pkg.version = "0.0.0";
      pkg.description = `Typed client for the ${names.title} generation lookup API (cost, tokens, latency, status)`;
      await write(join("packages", name, entry.name), `${JSON.stringify(pkg, null, 2)}\n`);
    } else {
      await write(join("packages", name, entry.name), text);
    }
  }

  // 3. The spec's provenance: source.yaml, then the pages taken like `pnpm specs:sync`.
  const specDir = join(root, "specs", name);
  const source = [
    `# ${names.title} publishes no OpenAPI document: openapi.yaml is written by hand from the page(s) below.`,
    "# `pnpm specs:sync` takes them again; `pnpm specs:build` validates openapi.yaml, never overwrites it,",
    "# and refuses it while a page differs from the hash in written_from (the page it was written from).",
    `provider: ${name}`,
    `package: "@genledger/${name}"`,
    "openapi: hand-authored",
    "files:",
    ...options.pages.flatMap((page) => [
      `  - path: upstream/${page.file}`,
      `    url: ${page.url}`,
      `    format: ${/\.(json)$/i.test(page.file) ? "json" : /\.ya?ml$/i.test(page.file) ? "yaml" : "markdown"}`,
      "    taken: never",
      "    sha256: none",
    ]),
    "",
  ].join("\n");
  await write(join("specs", name, "source.yaml"), source);
  await mkdir(join(specDir, "upstream"), { recursive: true });
  await syncProvider(specDir, { from: options.from });
  const synced = await readSource(specDir);
  const document = parseDocument(await readFile(join(specDir, "source.yaml"), "utf8"));
  document.set("written_from", Object.fromEntries(synced.files.map((f) => [f.path, f.sha256])));
  await writeFile(join(specDir, "source.yaml"), document.toString({ lineWidth: 0 }));
  for (const f of synced.files) written.push(join("specs", name, f.path));

  // 4. Generated types, as `pnpm generate` writes them.
  await write(join("packages", name, "src", "generated", "openapi.ts"), await generateSource(name, root));

  // 5. Every list of gateways, derived again now that this one exists.
  for (const change of await registerGateways(root)) edited.push(change.file);
  return { names, written, edited };
}

export function parsePage(value: string): UpstreamPage {
  const eq = value.indexOf("=");
  const [file, url] =
    eq > 0 && !value.slice(0, eq).includes("/") ? [value.slice(0, eq), value.slice(eq + 1)] : ["", value];
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new SpecError(`--page ${JSON.stringify(value)}: expected a URL, or <file name>=<URL>`);
  }
  const name = file || decodeURIComponent(parsed.pathname.split("/").pop() ?? "");
  if (!name || name.includes("/"))
    throw new SpecError(`--page ${JSON.stringify(value)}: cannot tell the file name; use <file name>=<URL>`);
  return { file: name, url };
}

/** For messages: paths relative to the root, sorted. */
export const listed = (paths: string[]) =>
  [...new Set(paths)]
    .sort()
    .map((p) => `  ${p}`)
    .join("\n");
