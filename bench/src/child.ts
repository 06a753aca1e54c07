// Child processes the harness starts and stops: a server that prints its address, stopped by its pid.
import { type ChildProcess, spawn } from "node:child_process";
import { createInterface } from "node:readline";

export interface Started {
  child: ChildProcess;
  /** The lines it printed before `ready` said it was up. */
  lines: string[];
  stop(): Promise<void>;
}

/** Spawns `node ...args` and resolves once a printed line satisfies `ready` (it fails if the process exits first). */
export function startNode(args: string[], ready: (line: string) => boolean, env = process.env): Promise<Started> {
  const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "inherit"], env });
  const lines: string[] = [];
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once("exit", () => resolve());
      child.kill("SIGTERM");
    });
  return new Promise((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`node ${args.join(" ")} exited ${code} before it was ready`)));
    createInterface({ input: child.stdout! }).on("line", (line) => {
      lines.push(line);
      if (ready(line)) resolve({ child, lines, stop });
    });
  });
}
