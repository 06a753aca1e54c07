// The command, run as a child process against a real mock gateway on 127.0.0.1, in a real pseudo-terminal
// whose screen is read by a terminal emulator: what a person sees at 40 and 120 columns.
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runInTerminal } from "../../../test-utils/terminal.js";
import { bin, dir, keys, mock } from "./__fixtures__/cli.js";

describe("genledger batch in a real terminal", () => {
  it.each([40, 120])(
    "at %i columns: warnings above the bar, the bar fits, the summary on a clean line",
    async (columns) => {
      const g = await mock({ openrouter: { delayMs: 100 } });
      const refs = Array.from({ length: 30 }, (_, i) => (i % 10 === 5 ? `not-a-ref-${i}` : `openrouter:gen-${i}`));
      const file = join(dir, `refs-${columns}.txt`);
      await writeFile(file, `${refs.join("\n")}\n`);
      const out = join(dir, `out-${columns}.jsonl`);
      const terminal = runInTerminal(process.execPath, [bin, "batch", file, "--output", out, "--concurrency", "1"], {
        columns,
        env: { ...g.env, ...keys, NO_COLOR: "1" },
      });
      try {
        // While it runs (some 3 s of slow lookups): the bar's line holds the count of the 27 refs (the 3 bad
        // lines are none), the failures and the ETA, within the width. Read as it is drawn, whatever the load.
        const running = await terminal.waitFor((lines) => lines.some((l) => /\d+\/27 refs · \d+ failed · eta/.test(l)));
        const barLine = running.find((l) => /refs · \d+ failed · eta/.test(l)) as string;
        expect(barLine.length).toBeLessThan(columns);
        const { code, lines: screen } = await terminal.done;
        const lines = screen.filter((l) => l.trim() !== "");
        // Each warning whole on its own line(s), no bar drawn into it; the summary after them.
        const warnings = lines.filter((l) => l.startsWith("genledger: line "));
        expect(warnings).toHaveLength(3);
        for (const w of warnings) expect(w).not.toMatch(/[█░]|refs ·/);
        const summary = lines.findIndex((l) => l.startsWith("genledger batch: "));
        expect(summary).toBeGreaterThan(lines.indexOf(warnings.at(-1) as string));
        // (A narrow terminal wraps the summary itself: its pieces are joined back.)
        expect(lines.slice(summary).join("").replace(/ +/g, " ")).toContain("27 done, 0 failed, 3 bad lines");
        expect(lines.some((l) => /[█░]/.test(l))).toBe(false); // the bar is gone at the end
        expect(code).toBe(1);
      } finally {
        terminal.kill();
      }
    },
    60_000,
  );
});
