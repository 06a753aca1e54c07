// The command, run as a child process against a real mock gateway on 127.0.0.1.
import { spawnSync } from "node:child_process";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { bin, dir, keys, mock } from "./__fixtures__/cli.js";

describe("genledger batch in a real terminal (tmux)", () => {
  const tmux = (...args: string[]) => spawnSync("tmux", args, { encoding: "utf8" });
  const screen = (session: string) => tmux("capture-pane", "-p", "-t", session).stdout;

  it.each([40, 120])(
    "at %i columns: warnings above the bar, the bar fits, the summary on a clean line",
    async (columns) => {
      const g = await mock({ openrouter: { delayMs: 100 } });
      const refs = Array.from({ length: 30 }, (_, i) => (i % 10 === 5 ? `not-a-ref-${i}` : `openrouter:gen-${i}`));
      const file = join(dir, `refs-${columns}.txt`);
      await writeFile(file, `${refs.join("\n")}\n`);
      const out = join(dir, `out-${columns}.jsonl`);
      const session = `genledger-${columns}-${process.pid}`;
      const env = Object.entries({ ...g.env, ...keys, NO_COLOR: "1" })
        .map(([k, v]) => `${k}='${v}'`)
        .join(" ");
      const command = `env ${env} '${process.execPath}' '${bin}' batch '${file}' --output '${out}' --concurrency 1; echo EXITED $?; sleep 60`;
      expect(tmux("new-session", "-d", "-s", session, "-x", String(columns), "-y", "30", command).status).toBe(0);
      try {
        // While it runs (some 3 s of slow lookups): the bar's line holds the count, the failures and the
        // ETA, within the width. Polled until seen or the batch ended, whatever the machine's load.
        let running = "";
        while (!/\d+\/30 refs · \d+ failed · eta/.test(running) && !running.includes("EXITED")) {
          await new Promise((resolve) => setTimeout(resolve, 25));
          running = screen(session);
        }
        const barLine = running.split("\n").find((l) => /refs · \d+ failed · eta/.test(l));
        expect(barLine, "the bar was drawn before the batch ended").toBeDefined();
        expect((barLine as string).length).toBeLessThan(columns);
        let done = "";
        while (!done.includes("EXITED")) {
          await new Promise((resolve) => setTimeout(resolve, 25));
          done = screen(session);
        }
        const lines = done.split("\n").filter((l) => l.trim() !== "");
        // Each warning whole on its own line(s), no bar drawn into it; the summary after them, then the exit.
        const warnings = lines.filter((l) => l.startsWith("genledger: line "));
        expect(warnings).toHaveLength(3);
        for (const w of warnings) expect(w).not.toMatch(/[█░]|refs ·/);
        const summary = lines.findIndex((l) => l.startsWith("genledger batch: "));
        expect(summary).toBeGreaterThan(lines.indexOf(warnings.at(-1) as string));
        // (A narrow terminal wraps the summary itself: its pieces are joined back.)
        expect(lines.slice(summary, -1).join("")).toContain("27 done, 0 failed, 3 bad lines");
        expect(lines.some((l) => /[█░]/.test(l))).toBe(false); // the bar is gone at the end
        expect(lines.at(-1)).toBe("EXITED 1");
      } finally {
        tmux("kill-session", "-t", session);
      }
    },
    60_000,
  );
});
