// The spec pipeline: upstream pages -> extracted, merged, overlaid, validated openapi.yaml.
import { createHash } from "node:crypto";
import { readdir, readFile, writeFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { parseDocument, parse as parseYaml, stringify as stringifyYaml, YAMLParseError } from "yaml";

export const repoRoot = new URL("../..", import.meta.url).pathname.replace(/\/$/, "");
export const specsDir = join(repoRoot, "specs");

/** A problem in a spec input; the message names the file and what is wrong. */
export class SpecError extends Error {
  override name = "SpecError";
}

export type UpstreamFormat = "markdown" | "yaml" | "json";

export interface SourceFile {
  path: string;
  url: string;
  format: UpstreamFormat;
  taken: string;
  /** sha256 of the bytes as upstream served them. */
  sha256: string;
  /** `info.version` of the upstream document, when it has one. */
  version?: string;
  /**
   * What identifies the revision taken, where the source says: the response's `ETag` and
   * `Last-Modified`, and for a file at a commit of a repository (`raw.githubusercontent.com/o/r/<sha>/...`,
   * `github.com/o/r/blob/<sha>/...`), that commit.
   */
  revision?: { etag?: string; last_modified?: string; commit?: string };
}

export interface Source {
  provider: string;
  package: string;
  openapi: "extracted" | "hand-authored";
  /** Path prefixes to compile; the rest of the vendored document is dropped (with what only it uses). */
  include?: string[];
  /** Hand-authored specs: sha256 of each page (by path) the spec was last written from. */
  written_from?: Record<string, string>;
  files: SourceFile[];
}

type Doc = Record<string, unknown>;

export async function listProviders(dir = specsDir): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  return entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
}

function rel(file: string): string {
  return relative(repoRoot, file) || file;
}

export function sha256(text: string | Uint8Array): string {
  return createHash("sha256").update(text).digest("hex");
}

export function parseYamlFile(text: string, file: string): unknown {
  try {
    return parseYaml(text, { prettyErrors: true });
  } catch (error) {
    if (error instanceof YAMLParseError) {
      throw new SpecError(`${rel(file)}: invalid YAML: ${error.message}`);
    }
    throw error;
  }
}

export async function readSource(providerDir: string): Promise<Source> {
  const file = join(providerDir, "source.yaml");
  const source = parseYamlFile(await readFile(file, "utf8"), file) as Source | null;
  if (!source || typeof source !== "object" || !Array.isArray(source.files) || source.files.length === 0) {
    throw new SpecError(`${rel(file)}: expected a mapping with a non-empty 'files' list`);
  }
  for (const [i, f] of source.files.entries()) {
    for (const key of ["path", "url", "format", "sha256"] as const) {
      if (typeof f[key] !== "string" || f[key] === "") {
        throw new SpecError(`${rel(file)}: files[${i}] is missing '${key}'`);
      }
    }
  }
  if (
    source.include !== undefined &&
    !(Array.isArray(source.include) && source.include.every((p) => typeof p === "string" && p.startsWith("/")))
  ) {
    throw new SpecError(`${rel(file)}: 'include' must be a list of path prefixes starting with '/'`);
  }
  return source;
}

const fence = /^(`{3,}|~{3,})[ \t]*([A-Za-z0-9_-]*)[^\n]*\n([\s\S]*?)^\1[ \t]*$/gm;

/**
 * Pull the OpenAPI document out of an upstream page: a markdown page with a fenced yaml/json
 * block holding `openapi:`, or a whole YAML or JSON file.
 */
export function extractOpenApi(text: string, format: UpstreamFormat, file: string): Doc {
  if (format !== "markdown") {
    return asOpenApi(parseBlock(text, format, file, 1), file);
  }
  for (const match of text.matchAll(fence)) {
    const lang = (match[2] ?? "").toLowerCase();
    const body = match[3] ?? "";
    if (!["yaml", "yml", "json"].includes(lang) || !/(^|[{,\s])["']?openapi["']?\s*:/.test(body)) continue;
    const line = text.slice(0, match.index).split("\n").length + 1;
    return asOpenApi(parseBlock(body, lang === "json" ? "json" : "yaml", file, line), file);
  }
  throw new SpecError(
    `${rel(file)}: no OpenAPI document found (looked for a fenced yaml or json block with an 'openapi' key)`,
  );
}

function parseBlock(body: string, format: "yaml" | "json", file: string, firstLine: number): unknown {
  try {
    return format === "json" ? JSON.parse(body) : parseYaml(body, { prettyErrors: true });
  } catch (error) {
    const what = error instanceof Error ? error.message : String(error);
    throw new SpecError(
      `${rel(file)}: the ${format.toUpperCase()} block starting at line ${firstLine} does not parse: ${what}`,
    );
  }
}

function asOpenApi(value: unknown, file: string): Doc {
  if (!isObject(value) || typeof value.openapi !== "string") {
    throw new SpecError(`${rel(file)}: the document has no 'openapi' version field`);
  }
  return value;
}

function isObject(value: unknown): value is Doc {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * Merge fragments of one API (each docs page carries one operation of the same spec).
 * Paths and components are unioned; the same name defined twice differently is an error.
 */
export function mergeFragments(docs: { doc: Doc; file: string }[]): Doc {
  const [first, ...rest] = docs;
  if (!first) throw new SpecError("nothing to merge");
  const merged = structuredClone(first.doc);
  for (const { doc, file } of rest) {
    if (doc.openapi !== merged.openapi) {
      throw new SpecError(`${rel(file)}: openapi ${String(doc.openapi)} differs from ${String(merged.openapi)}`);
    }
    merged.paths = unionInto(merged.paths, doc.paths, `${rel(file)}: paths`, true);
    const components = isObject(merged.components) ? merged.components : {};
    const incoming = isObject(doc.components) ? doc.components : {};
    for (const [kind, entries] of Object.entries(incoming)) {
      components[kind] = unionInto(components[kind], entries, `${rel(file)}: components.${kind}`);
    }
    merged.components = components;
  }
  return merged;
}

/** `byMethod`: two pages may document different methods of one path. */
function unionInto(target: unknown, source: unknown, where: string, byMethod = false): Doc {
  const out: Doc = isObject(target) ? target : {};
  if (!isObject(source)) return out;
  for (const [key, value] of Object.entries(source)) {
    const existing = out[key];
    if (existing === undefined) {
      out[key] = structuredClone(value);
    } else if (byMethod && isObject(existing) && isObject(value)) {
      for (const [method, op] of Object.entries(value)) {
        if (existing[method] !== undefined && !sameJson(existing[method], op)) {
          throw new SpecError(`${where}: ${key} ${method} is defined twice, differently`);
        }
        existing[method] = structuredClone(op);
      }
    } else if (!sameJson(existing, value)) {
      throw new SpecError(`${where}: '${key}' is defined twice, differently`);
    }
  }
  return out;
}

export interface OverlayAction {
  [extension: `x-${string}`]: unknown;
  target: string;
  description?: string;
  update?: unknown;
  remove?: boolean;
}

/**
 * Apply an OpenAPI Overlay 1.0 document. Every problem is collected and reported at once: an action
 * without a description, one whose target matches nothing, and one that changes nothing because
 * upstream already has its change (drop it from the overlay).
 */
export async function applyOverlay(doc: Doc, overlayText: string, file: string): Promise<Doc> {
  const overlay = parseYamlFile(overlayText, file) as { overlay?: unknown; actions?: OverlayAction[] } | null;
  if (!isObject(overlay) || typeof overlay.overlay !== "string" || !/^1\.0\.\d+$/.test(overlay.overlay)) {
    throw new SpecError(`${rel(file)}: not an OpenAPI Overlay 1.0 document (expected 'overlay: 1.0.0')`);
  }
  const actions = Array.isArray(overlay.actions) ? overlay.actions : [];
  if (actions.length === 0) throw new SpecError(`${rel(file)}: has no actions`);
  const problems: string[] = [];
  // Apply one action at a time so each problem is reported against the document that action saw.
  let current: Doc = structuredClone(doc);
  for (const [i, action] of actions.entries()) {
    const label = `action #${i + 1}`;
    if (!isObject(action) || typeof action.target !== "string") {
      problems.push(`${label} has no target`);
      continue;
    }
    if (typeof action.description !== "string" || action.description.trim() === "") {
      problems.push(`${label} (target ${action.target}) has no description saying why it exists`);
    }
    if (action.update === undefined && action.remove !== true) {
      problems.push(`${label} (target ${action.target}) neither updates nor removes anything`);
      continue;
    }
    const { openapiOverlay } = await import("openapi-format");
    const result = (await openapiOverlay(structuredClone(current), {
      overlaySet: { overlay: overlay.overlay, actions: [action] },
    })) as {
      data: Doc;
      resultData: { totalUnusedActions: number };
    };
    if (result.resultData.totalUnusedActions > 0) {
      problems.push(`${label} target ${action.target} matches nothing`);
    } else if (sameJson(result.data, current)) {
      problems.push(`${label} target ${action.target} changes nothing: upstream already has it; drop the action`);
    }
    current = result.data;
  }
  if (problems.length > 0) {
    throw new SpecError(`${rel(file)}: ${problems.length} overlay action(s) failed:\n  ${problems.join("\n  ")}`);
  }
  return current;
}

/** Keep only the paths under `include` and the components they still reach ($refs followed). */
export function filterPaths(doc: Doc, include: string[]): Doc {
  const out = structuredClone(doc);
  const paths = isObject(out.paths) ? out.paths : {};
  out.paths = Object.fromEntries(
    Object.entries(paths).filter(([path]) => include.some((prefix) => path === prefix || path.startsWith(prefix))),
  );
  const components = isObject(out.components) ? out.components : undefined;
  if (!components) return out;
  const reached = new Set<string>();
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(visit);
    else if (isObject(node)) {
      for (const [key, value] of Object.entries(node)) {
        if (key === "$ref" && typeof value === "string" && value.startsWith("#/components/") && !reached.has(value)) {
          reached.add(value);
          const [kind, name] = value.slice("#/components/".length).split("/");
          visit((components[kind!] as Doc | undefined)?.[name!]);
        } else visit(value);
      }
    }
  };
  visit(out.paths);
  for (const [kind, entries] of Object.entries(components)) {
    // Security schemes are named by `security`, never by $ref.
    if (kind === "securitySchemes" || !isObject(entries)) continue;
    for (const name of Object.keys(entries)) if (!reached.has(`#/components/${kind}/${name}`)) delete entries[name];
    if (Object.keys(entries).length === 0) delete components[kind];
  }
  return out;
}

export async function validateOpenApi(doc: Doc, file: string): Promise<void> {
  // Loaded here, not at the top: generate and specs:diff use this module without validating (~0.1 s of imports).
  const { compileErrors, validate } = await import("@readme/openapi-parser");
  const result = await validate(structuredClone(doc) as never);
  if (!result.valid) {
    throw new SpecError(`${rel(file)}: not a valid OpenAPI document:\n${compileErrors(result)}`);
  }
}

const header = (source: Source) =>
  [
    "# Built by `pnpm specs:build` from",
    ...source.files.map(
      (f) => `#   ${f.path} (sha256 ${f.sha256.slice(0, 12)}${f.version ? `, version ${f.version}` : ""})`,
    ),
    ...(source.include ? [`# keeping only the paths under ${source.include.join(", ")} (source.yaml 'include')`] : []),
    "# and overlay.yaml. Do not edit: fix the overlay or the build script instead.",
    "",
  ].join("\n");

export function toYaml(doc: Doc): string {
  return stringifyYaml(doc, { lineWidth: 0, aliasDuplicateObjects: false });
}

export interface BuildResult {
  provider: string;
  file: string;
  changed: boolean;
}

/**
 * Build one provider's openapi.yaml. Hand-authored documents are only validated, and refused while
 * the page they were written from has changed; `confirm` records the page's new hash once the
 * document has been brought up to date.
 */
export async function buildProvider(providerDir: string, options: { confirm?: boolean } = {}): Promise<BuildResult> {
  const source = await readSource(providerDir);
  const out = join(providerDir, "openapi.yaml");
  const texts = await Promise.all(
    source.files.map(async (f) => {
      const file = join(providerDir, f.path);
      const text = await readFile(file, "utf8").catch(() => {
        throw new SpecError(`${rel(file)}: listed in source.yaml but missing`);
      });
      const expected = f.sha256;
      if (sha256(text) !== expected) {
        throw new SpecError(
          `${rel(file)}: sha256 ${sha256(text)} differs from source.yaml (${expected}); upstream files are taken with \`pnpm specs:sync\`, never edited`,
        );
      }
      return { file, text, format: f.format, source: f };
    }),
  );
  if (source.openapi === "hand-authored") {
    const sourceFile = join(providerDir, "source.yaml");
    if (options.confirm) {
      const document = parseDocument(await readFile(sourceFile, "utf8"));
      document.set("written_from", Object.fromEntries(source.files.map((f) => [f.path, f.sha256])));
      await writeFile(sourceFile, document.toString({ lineWidth: 0 }));
    } else {
      const stale = source.files.filter((f) => source.written_from?.[f.path] !== f.sha256);
      if (stale.length > 0) {
        throw new SpecError(
          stale
            .map(
              (f) =>
                `${rel(out)} is hand-written from ${f.path}, which changed (sha256 ${String(source.written_from?.[f.path]).slice(0, 12)} -> ${f.sha256.slice(0, 12)}, taken ${f.taken}).`,
            )
            .join("\n") +
            `\n  Compare the page with what openapi.yaml says (git diff ${rel(join(providerDir, "upstream"))}), update openapi.yaml, then record the page's hash: pnpm specs:build --confirm ${source.provider}`,
        );
      }
    }
    const text = await readFile(out, "utf8");
    await validateOpenApi(asOpenApi(parseYamlFile(text, out), out), out);
    return { provider: source.provider, file: out, changed: false };
  }
  const fragments = texts.map(({ file, text, format }) => ({ file, doc: extractOpenApi(text, format, file) }));
  let doc = mergeFragments(fragments);
  if (source.include) doc = filterPaths(doc, source.include);
  const overlayFile = join(providerDir, "overlay.yaml");
  const overlayText = await readFile(overlayFile, "utf8").catch(() => undefined);
  if (overlayText !== undefined) doc = await applyOverlay(doc, overlayText, overlayFile);
  if (source.include) doc = filterPaths(doc, source.include);
  await validateOpenApi(doc, out);
  const next = header(source) + toYaml(doc);
  const previous = await readFile(out, "utf8").catch(() => undefined);
  if (previous !== next) await writeFile(out, next);
  return { provider: source.provider, file: out, changed: previous !== next };
}
