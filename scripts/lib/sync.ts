// Take upstream: fetch each file source.yaml names (or read it from --from), store it under
// upstream/ byte for byte, and rewrite source.yaml: hash, date, detected format, upstream version and what
// identifies the revision (ETag, Last-Modified, a pinned commit), comments kept.
// `urls` replaces the provider's files when upstream moved or was renamed.
import { readFile, rm, writeFile } from "node:fs/promises";
import { basename, join } from "node:path";
import { parseDocument } from "yaml";
import { extractOpenApi, readSource, type SourceFile, SpecError, sha256, type UpstreamFormat } from "./specs.js";

type Revision = NonNullable<SourceFile["revision"]>;

/** The bytes as served, and what identifies their revision. */
async function take(url: string): Promise<{ bytes: Buffer; revision: Revision }> {
  let res: Response;
  try {
    res = await fetch(url, { signal: AbortSignal.timeout(30_000), redirect: "follow" });
  } catch (error) {
    throw new SpecError(`cannot take ${url}: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!res.ok) throw new SpecError(`cannot take ${url}: HTTP ${res.status} ${res.statusText}`);
  const revision: Revision = { ...commitOf(url) };
  const etag = res.headers.get("etag");
  const modified = res.headers.get("last-modified");
  if (etag) revision.etag = etag;
  if (modified) revision.last_modified = modified;
  return { bytes: Buffer.from(await res.arrayBuffer()), revision };
}

/** The commit a repository file's URL pins, if it names one (a 40-hex-digit ref). */
export function commitOf(url: string): { commit?: string } {
  const m =
    /^https:\/\/(?:raw\.githubusercontent\.com\/[^/]+\/[^/]+|github\.com\/[^/]+\/[^/]+\/(?:blob|raw))\/([0-9a-f]{40})\//.exec(
      url,
    );
  return m ? { commit: m[1] as string } : {};
}

/** What a page is, from its name and content: upstreams switch between a docs page and a bare spec file. */
export function detectFormat(text: string): UpstreamFormat {
  try {
    JSON.parse(text);
    return "json";
  } catch {}
  return /^["']?openapi["']?\s*:/m.test(text) && !/^(`{3,}|~{3,})/m.test(text) ? "yaml" : "markdown";
}

function fileName(url: string): string {
  const name = basename(new URL(url).pathname);
  if (!name) throw new SpecError(`${url}: names no file`);
  return decodeURIComponent(name);
}

/**
 * `from` is a directory or a base URL holding `<provider>/<file name>` (offline use and tests);
 * without it, each file's own `url` is fetched.
 */
export async function syncProvider(
  providerDir: string,
  options: { from?: string; today?: string; urls?: string[] } = {},
): Promise<{ provider: string; changed: string[] }> {
  const source = await readSource(providerDir);
  const sourceFile = join(providerDir, "source.yaml");
  const document = parseDocument(await readFile(sourceFile, "utf8"));
  const today = options.today ?? new Date().toISOString().slice(0, 10);
  const replacing = options.urls !== undefined && options.urls.length > 0;
  const wanted: { entry?: SourceFile; url: string; name: string }[] = replacing
    ? options.urls!.map((url) => ({ entry: source.files.find((f) => f.url === url), url, name: fileName(url) }))
    : source.files.map((entry) => ({ entry, url: entry.url, name: basename(entry.path) }));
  const from = options.from;
  const changed: string[] = [];
  const files: SourceFile[] = [];
  for (const { entry, url, name } of wanted) {
    const { bytes, revision } = !from
      ? await take(url)
      : /^https?:\/\//.test(from)
        ? await take(`${from.replace(/\/+$/, "")}/${source.provider}/${encodeURIComponent(name)}`)
        : {
            bytes: await readFile(join(from, source.provider, name)).catch(() => {
              throw new SpecError(
                `${source.provider}: ${join(from, source.provider, name)} does not exist` +
                  (replacing ? "" : "; if upstream renamed or moved the file, pass its new address with --url"),
              );
            }),
            // A copy on disk says nothing of its revision, but the URL may pin a commit.
            revision: commitOf(url),
          };
    const hash = sha256(bytes);
    const text = bytes.toString("utf8");
    const format = detectFormat(text);
    let version: string | undefined;
    try {
      const info = extractOpenApi(text, format, name).info as { version?: unknown } | undefined;
      if (info && (typeof info.version === "string" || typeof info.version === "number"))
        version = String(info.version);
    } catch {} // a page without an OpenAPI document (hand-written specs) has no version
    const path = entry?.path ?? `upstream/${name}`;
    const next: SourceFile = {
      path,
      url,
      format,
      taken: entry?.taken ?? today,
      sha256: hash,
      ...(version ? { version } : {}),
      ...(Object.keys(revision).length > 0 ? { revision } : {}),
    };
    const target = join(providerDir, path);
    const current = await readFile(target).catch(() => undefined);
    const same = entry !== undefined && entry.sha256 === hash && current !== undefined && sha256(current) === hash;
    if (!same) {
      // Byte for byte as taken: a re-sync can tell "unchanged" from "re-formatted". Only what is built is formatted.
      await writeFile(target, bytes);
      next.taken = today;
      changed.push(path);
    }
    files.push(next);
  }
  const dropped = source.files.filter((f) => !files.some((n) => n.path === f.path));
  for (const f of dropped) {
    await rm(join(providerDir, f.path), { force: true });
    changed.push(`${f.path} (removed)`);
  }
  // Also rewritten when only what is recorded about a file changed (e.g. its version, first recorded).
  const recorded = files.some((f, i) => JSON.stringify(f) !== JSON.stringify(source.files[i]));
  if (changed.length === 0 && !recorded) return { provider: source.provider, changed };
  if (replacing) {
    document.set("files", files);
  } else {
    // Keep each entry's comments: set only what changed.
    for (const [i, f] of files.entries()) {
      for (const key of ["format", "taken", "sha256", "version", "revision", "stored", "stored_sha256"] as const) {
        const before = (source.files[i] as Record<string, unknown> | undefined)?.[key];
        const after = (f as unknown as Record<string, unknown>)[key];
        if (JSON.stringify(after) === JSON.stringify(before)) continue;
        if (after === undefined) document.deleteIn(["files", i, key]);
        else document.setIn(["files", i, key], after);
      }
    }
  }
  await writeFile(sourceFile, document.toString({ lineWidth: 0 }));
  return { provider: source.provider, changed };
}
