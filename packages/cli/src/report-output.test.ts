// report --output writes the whole file or nothing, and never follows what someone planted beside it.
import { execFileSync } from "node:child_process";
import { createReadStream } from "node:fs";
import { lstat, mkdtemp, readFile, rm, stat, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { writeWhole } from "./report.js";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "genledger-output-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("writeWhole", () => {
  it("passes over a symlink planted at its temporary name: the file it points at is untouched", async () => {
    const victim = join(dir, "victim.txt");
    await writeFile(victim, "precious");
    const out = join(dir, "report.txt");
    await symlink(victim, join(dir, `.report.txt.genledger-${process.pid}-0.tmp`));
    await writeWhole(out, "the report\n");
    expect(await readFile(victim, "utf8")).toBe("precious");
    expect(await readFile(out, "utf8")).toBe("the report\n");
    expect((await lstat(out)).isFile()).toBe(true);
    // The report is as readable as any new file; the temporary one is gone.
    expect((await stat(out)).mode & 0o777).toBe(0o644);
    expect((await lstat(join(dir, `.report.txt.genledger-${process.pid}-0.tmp`))).isSymbolicLink()).toBe(true);
  });

  it("writes into a FIFO as it is, never renaming a regular file over it", async () => {
    const fifo = join(dir, "pipe");
    execFileSync("mkfifo", [fifo]);
    const chunks: Buffer[] = [];
    const reading = new Promise<void>((resolve, reject) => {
      createReadStream(fifo)
        .on("data", (c) => chunks.push(c as Buffer))
        .on("end", resolve)
        .on("error", reject);
    });
    await writeWhole(fifo, "through the pipe\n");
    await reading;
    expect(Buffer.concat(chunks).toString()).toBe("through the pipe\n");
    expect((await lstat(fifo)).isFIFO()).toBe(true);
  });

  it("refuses a folder with a plain error", async () => {
    await expect(writeWhole(dir, "x")).rejects.toThrow(/is a folder/);
  });
});
