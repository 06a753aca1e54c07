import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import {
  addPackageRow,
  type GatewayFacts,
  gatewayFacts,
  gatewayNames,
  registerGateways,
  registryFiles,
} from "./lib/registry.js";
import { repoRoot } from "./lib/specs.js";

describe("the repository's lists of gateways", () => {
  it("are what the gateways that exist give: nothing to write", async () => {
    expect(await gatewayNames()).toEqual([
      "cloudflare",
      "fastrouter",
      "helicone",
      "litellm",
      "nanogpt",
      "openrouter",
      "oxen",
      "vercel",
      "zenmux",
    ]);
    const changes = await registerGateways(repoRoot, { dryRun: true });
    // A hand edit to a derived file, or a gateway missing from a manifest, shows here.
    expect(changes.map((c) => c.file)).toEqual([]);
  });

  it("read each definition: its title, key variables and base URL variable", async () => {
    const facts = await gatewayFacts();
    expect(facts.find((g) => g.name === "vercel")).toEqual({
      name: "vercel",
      title: "Vercel AI Gateway",
      keyVariables: ["AI_GATEWAY_API_KEY", "VERCEL_OIDC_TOKEN"],
      baseUrlVariable: "AI_GATEWAY_BASE_URL",
      keyOptional: false,
      mockExport: "vercelMock",
      captured: true,
    });
    expect(facts.find((g) => g.name === "oxen")).toMatchObject({ keyOptional: true, captured: false });
  });
});

const acme: GatewayFacts = {
  name: "acme",
  title: "Acme AI",
  keyVariables: ["ACME_API_KEY"],
  baseUrlVariable: "ACME_BASE_URL",
  keyOptional: false,
  mockExport: "acmeMock",
  captured: true,
};

describe("registryFiles", () => {
  it("lists every gateway in each file, and wraps the help's variables", () => {
    const files = registryFiles([
      acme,
      { ...acme, name: "beta", keyVariables: ["BETA_KEY", "BETA_TOKEN"], baseUrlVariable: "BETA_BASE_URL" },
      {
        ...acme,
        name: "gamma",
        keyVariables: ["GAMMA_API_KEY"],
        baseUrlVariable: "GAMMA_BASE_URL",
        keyOptional: true,
        captured: false,
      },
    ]);
    expect(files["packages/normalize/src/all.ts"]).toContain(
      'export { acme } from "./acme.js";\nexport { beta } from "./beta.js";\nexport { gamma } from "./gamma.js";\n',
    );
    expect(files["packages/testing/src/gateways.ts"]).toContain(
      'export { acmeMock as acme } from "./gateways/acme.js";',
    );
    expect(files["packages/cli/src/key-variables.ts"]).toContain(
      "`  ACME_API_KEY, BETA_KEY (or BETA_TOKEN), GAMMA_API_KEY (optional)\n  ACME_BASE_URL, BETA_BASE_URL, GAMMA_BASE_URL`",
    );
    const many = registryFiles(
      Array.from({ length: 12 }, (_, i) => ({ ...acme, keyVariables: [`GATEWAY_${i}_API_KEY`] })),
    );
    const lines = /`([^`]*)`/.exec(many["packages/cli/src/key-variables.ts"]!)![1]!.split("\n");
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(80);
  });
});

describe("registerGateways in a copy", () => {
  let root: string;
  afterEach(() => rm(root, { recursive: true, force: true }));

  /** What the registry reads and writes, copied: core's source, each gateway's client and mock, the manifests. */
  async function copy(): Promise<string> {
    root = await mkdtemp(join(tmpdir(), "genledger-registry-test-"));
    const paths = [
      "packages/core/src",
      "README.md",
      "packages/normalize/package.json",
      "packages/normalize/src/all.ts",
      "packages/testing/package.json",
      "packages/testing/src/gateways.ts",
      "packages/cli/package.json",
      "packages/cli/src/key-variables.ts",
      "packages/capture/src/base-urls.ts",
      "packages/capture/src/base-url-env.ts",
    ];
    for (const name of await gatewayNames()) {
      paths.push(`specs/${name}/source.yaml`, `packages/${name}/src`, `packages/testing/src/gateways/${name}.ts`);
    }
    for (const path of paths) {
      await mkdir(dirname(join(root, path)), { recursive: true });
      await cp(join(repoRoot, path), join(root, path), { recursive: true });
    }
    return root;
  }

  const read = (path: string) => readFile(join(root, path), "utf8");

  it("puts back a gateway taken out of a manifest, byte for byte, and touches nothing else", async () => {
    await copy();
    const before = await read("packages/normalize/package.json");
    const pkg = JSON.parse(before);
    delete pkg.exports["./oxen"];
    delete pkg.peerDependencies["@genledger/oxen"];
    await writeFile(join(root, "packages/normalize/package.json"), `${JSON.stringify(pkg, null, 2)}\n`);
    await writeFile(join(root, "packages/normalize/src/all.ts"), "// edited by hand\n");
    const changes = await registerGateways(root);
    expect(changes.map((c) => c.file).sort()).toEqual([
      "packages/normalize/package.json",
      "packages/normalize/src/all.ts",
    ]);
    // Added back last (before ./package.json), so the order differs from the original only there.
    const after = JSON.parse(await read("packages/normalize/package.json"));
    expect(Object.keys(after.exports).slice(-2)).toEqual(["./oxen", "./package.json"]);
    expect(after.peerDependencies["@genledger/oxen"]).toBe(">=0.0.0 <1.0.0");
    expect(await read("packages/normalize/src/all.ts")).toBe(
      await readFile(join(repoRoot, "packages/normalize/src/all.ts"), "utf8"),
    );
    expect(await registerGateways(root)).toEqual([]);
  });

  it("registers a new gateway everywhere from its spec folder, client and mock", async () => {
    await copy();
    await mkdir(join(root, "specs/acme"), { recursive: true });
    await writeFile(join(root, "specs/acme/source.yaml"), "provider: acme\n");
    await cp(join(root, "packages/vercel/src"), join(root, "packages/acme/src"), { recursive: true });
    const client = (await read("packages/acme/src/client.ts"))
      .replace('provider: "vercel"', 'provider: "acme"')
      .replace('displayName: "Vercel AI Gateway"', 'displayName: "Acme AI"')
      .replace('envPrefix: "AI_GATEWAY"', 'envPrefix: "ACME"')
      .replace(/ {2}apiKeyEnv: .*\n/, "");
    await writeFile(join(root, "packages/acme/src/client.ts"), client);
    await writeFile(
      join(root, "packages/testing/src/gateways/acme.ts"),
      "export const acmeMock = defineGateway({});\n",
    );
    // Its completions are captured: capture knows its base URL.
    const urls = await read("packages/capture/src/base-urls.ts");
    await writeFile(
      join(root, "packages/capture/src/base-urls.ts"),
      urls.replace("};", '  "https://api.acme.example/v1": "acme",\n};'),
    );

    const changes = await registerGateways(root);
    expect(changes.map((c) => c.file).sort()).toEqual([
      "README.md",
      "packages/capture/src/base-url-env.ts",
      "packages/cli/package.json",
      "packages/cli/src/key-variables.ts",
      "packages/normalize/package.json",
      "packages/normalize/src/all.ts",
      "packages/testing/package.json",
      "packages/testing/src/gateways.ts",
    ]);
    expect(await read("packages/cli/src/key-variables.ts")).toMatch(/ACME_API_KEY[\s\S]*ACME_BASE_URL/);
    expect(await read("packages/capture/src/base-url-env.ts")).toContain('  ACME_BASE_URL: "acme",');
    const cli = JSON.parse(await read("packages/cli/package.json"));
    expect(Object.keys(cli.dependencies).at(-1)).toBe("@genledger/acme");
    expect(await read("README.md")).toContain("| [`@genledger/acme`](packages/acme)");
  });

  it("names the file when a manifest is missing or is not JSON", async () => {
    await copy();
    await writeFile(join(root, "packages/testing/package.json"), "{ not json");
    await expect(registerGateways(root)).rejects.toThrow(/^packages\/testing\/package\.json: .*JSON/);
    await cp(join(repoRoot, "packages/testing/package.json"), join(root, "packages/testing/package.json"));
    await rm(join(root, "packages/cli/package.json"));
    await expect(registerGateways(root)).rejects.toThrow(/^packages\/cli\/package\.json: ENOENT/);
  });

  it("names the file when a client defines no gateway or a mock is missing", async () => {
    await copy();
    await writeFile(join(root, "packages/testing/src/gateways/oxen.ts"), "export const nothing = 1;\n");
    await expect(registerGateways(root)).rejects.toThrow(
      "packages/testing/src/gateways/oxen.ts exports no defineGateway mock",
    );
    await writeFile(join(root, "packages/oxen/src/client.ts"), "export const nothing = 1;\n");
    await expect(registerGateways(root)).rejects.toThrow(
      "packages/oxen/src/client.ts exports no defineGateway definition",
    );
  });
});

describe("addPackageRow", () => {
  it("adds the row after the last gateway, padding the table, once", () => {
    const readme = [
      "| package | what it is |",
      "| --- | --- |",
      "| [`@genledger/oxen`](packages/oxen) | Oxen.ai client |",
      "| [`@genledger/normalize`](packages/normalize) | the record |",
      "",
    ].join("\n");
    const next = addPackageRow(readme, { name: "acme", title: "Acme" });
    expect(next.split("\n").slice(0, 5)).toEqual([
      "| package                                      | what it is                         |",
      "| -------------------------------------------- | ---------------------------------- |",
      "| [`@genledger/oxen`](packages/oxen)           | Oxen.ai client                     |",
      "| [`@genledger/acme`](packages/acme)           | Acme client: `GET /generation?id=` |",
      "| [`@genledger/normalize`](packages/normalize) | the record                         |",
    ]);
    expect(addPackageRow(next, { name: "acme", title: "Acme" })).toBe(next);
  });
});
