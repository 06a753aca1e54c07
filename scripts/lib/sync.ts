// Take upstream: fetch each file source.yaml names (or read it from --from), store it byte for
// byte under upstream/, and record its sha256 and the date in source.yaml (comments kept).
import { readFile, writeFile } from "node:fs/promises";
import { basename, join } from "node:path";
import { parseDocument } from "yaml";
import { readSource, SpecError, sha256 } from "./specs.js";

async function take(url: string): Promise<Buffer> {
  let res: Response;
  try {
    res = await fetch(url, { signal: AbortSignal.timeout(30_000), redirect: "follow" });
  } catch (error) {
    throw new SpecError(`cannot take ${url}: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!res.ok) throw new SpecError(`cannot take ${url}: HTTP ${res.status} ${res.statusText}`);
  return Buffer.from(await res.arrayBuffer());
}

/**
 * `from` is a directory or a base URL holding `<provider>/<file name>` (offline use and tests);
 * without it, each file's own `url` is fetched.
 */
export async function syncProvider(
  providerDir: string,
  options: { from?: string; today?: string } = {},
): Promise<{ provider: string; changed: string[] }> {
  const source = await readSource(providerDir);
  const sourceFile = join(providerDir, "source.yaml");
  const document = parseDocument(await readFile(sourceFile, "utf8"));
  const today = options.today ?? new Date().toISOString().slice(0, 10);
  const changed: string[] = [];
  for (const [i, file] of source.files.entries()) {
    const name = basename(file.path);
    const from = options.from;
    const bytes = !from
      ? await take(file.url)
      : /^https?:\/\//.test(from)
        ? await take(`${from.replace(/\/+$/, "")}/${source.provider}/${encodeURIComponent(name)}`)
        : await readFile(join(from, source.provider, name)).catch(() => {
            throw new SpecError(`${source.provider}: ${join(from, source.provider, name)} does not exist`);
          });
    const hash = sha256(bytes);
    const target = join(providerDir, file.path);
    const current = await readFile(target).catch(() => undefined);
    if (hash === file.sha256 && current && sha256(current) === hash) continue;
    await writeFile(target, bytes);
    document.setIn(["files", i, "sha256"], hash);
    document.setIn(["files", i, "taken"], today);
    changed.push(file.path);
  }
  if (changed.length > 0) await writeFile(sourceFile, document.toString({ lineWidth: 0 }));
  return { provider: source.provider, changed };
}
