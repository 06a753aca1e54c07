// What a person sees in a terminal, without tmux: the command runs under a real pseudo-terminal (`script`
// from util-linux, on every Debian and Ubuntu machine), set to a width, and its bytes are fed as they come
// to a terminal emulator in JavaScript (@xterm/headless, pinned), whose screen is read as lines.
import { spawn } from "node:child_process";
import xterm from "@xterm/headless";

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

export interface Terminal {
  /** The visible rows now, trailing blank rows left out (as `tmux capture-pane -p` gives them). */
  screen(): Promise<string[]>;
  /** The screen once `test` holds of it (polled as the bytes come, however slow the machine). */
  waitFor(test: (lines: string[]) => boolean): Promise<string[]>;
  /** The exit code and the last screen. */
  done: Promise<{ code: number; lines: string[] }>;
  kill(signal?: NodeJS.Signals): void;
}

export function runInTerminal(
  command: string,
  args: string[],
  options: { columns: number; rows?: number; env?: Record<string, string | undefined> },
): Terminal {
  const { columns, rows = 30 } = options;
  // The emulator's own module is CommonJS: its one export is the default.
  const term = new xterm.Terminal({ cols: columns, rows, scrollback: 10_000, allowProposedApi: true });
  // script starts the terminal at 0 × 0 when its own stdin is no terminal: the size is set inside.
  const line = `stty cols ${columns} rows ${rows} && exec ${[command, ...args].map(quote).join(" ")}`;
  const child = spawn("script", ["--quiet", "--return", "--flush", "--command", line, "/dev/null"], {
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, ...options.env, SHELL: "/bin/sh", TERM: "xterm-256color" },
  });
  let parsed: Promise<void> = Promise.resolve();
  // Bytes, not text: a character cut between two reads is joined by the emulator.
  child.stdout.on("data", (chunk: Buffer) => {
    parsed = new Promise((resolve) => term.write(chunk, resolve));
  });
  let errors = "";
  child.stderr.on("data", (chunk: Buffer) => {
    errors += chunk.toString();
  });
  const screen = async () => {
    // The buffer is current only once the emulator has parsed what was written.
    await parsed;
    const buffer = term.buffer.active;
    const lines: string[] = [];
    for (let y = buffer.viewportY; y < buffer.viewportY + rows; y++) {
      lines.push(buffer.getLine(y)?.translateToString(true) ?? "");
    }
    while (lines.length && lines.at(-1) === "") lines.pop();
    return lines;
  };
  let ended = false;
  const done = new Promise<{ code: number; lines: string[] }>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", async (code, signal) => {
      ended = true;
      if (code === null) return reject(new Error(`script was killed by ${signal}`));
      if (errors) return reject(new Error(`script: ${errors}`));
      resolve({ code, lines: await screen() });
    });
  });
  done.catch(() => undefined);
  return {
    screen,
    async waitFor(test) {
      for (;;) {
        const lines = await screen();
        if (test(lines)) return lines;
        if (ended) throw new Error(`the command ended first; its screen:\n${lines.join("\n")}`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    },
    done,
    kill: (signal) => child.kill(signal),
  };
}
