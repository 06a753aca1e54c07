// A real headless Chromium for tests, from the npm registry (@sparticuz/chromium, pinned): its packed browser
// unpacked once per version into a folder of its own, atomically (two test processes may ask at once, and
// one killed mid-way leaves nothing half-written behind), with its own fonts, so text measures the same on
// every machine. Launch it with playwright-core: `chromium.launch(await headlessChromium())`.
import { existsSync, readFileSync } from "node:fs";
import { mkdtemp, rename, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import chromium from "@sparticuz/chromium";

const require = createRequire(import.meta.url);

async function unpacked(): Promise<string> {
  const manifest = join(dirname(require.resolve("@sparticuz/chromium")), "..", "..", "package.json");
  const { version } = JSON.parse(readFileSync(manifest, "utf8")) as { version: string };
  const dir = join(tmpdir(), `genledger-chromium-${version}`);
  if (existsSync(join(dir, "chromium"))) return dir;
  const staging = await mkdtemp(`${dir}-unpacking-`);
  // executablePath() unpacks into os.tmpdir(): the staging folder, for this call only.
  const saved = process.env.TMPDIR;
  process.env.TMPDIR = staging;
  try {
    await chromium.executablePath();
  } finally {
    if (saved === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = saved;
  }
  await writeFile(
    join(staging, "fonts", "fonts.conf"),
    `<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig><dir>${dir}/fonts</dir><cachedir>${dir}/fonts-cache</cachedir></fontconfig>\n`,
  );
  try {
    await rename(staging, dir);
  } catch (error) {
    // Another process got there first: its folder is as good.
    await rm(staging, { recursive: true, force: true });
    if (!existsSync(join(dir, "chromium"))) throw error;
  }
  return dir;
}

/**
 * Launch options for playwright-core's `chromium.launch`: the unpacked browser, its fonts only. (Not
 * `chromium.args`: its `--single-process` ends the browser when a page closes, and its feature lists would
 * replace Playwright's own.)
 */
export async function headlessChromium(): Promise<{
  executablePath: string;
  args: string[];
  env: Record<string, string | undefined>;
}> {
  const dir = await unpacked();
  return {
    executablePath: join(dir, "chromium"),
    args: ["--font-render-hinting=none", "--disable-quic"],
    env: { ...process.env, FONTCONFIG_PATH: join(dir, "fonts") },
  };
}
