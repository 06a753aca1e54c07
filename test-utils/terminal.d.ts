export interface Terminal {
  screen(): Promise<string[]>;
  waitFor(test: (lines: string[]) => boolean): Promise<string[]>;
  done: Promise<{ code: number; lines: string[] }>;
  kill(signal?: NodeJS.Signals): void;
}
export declare function runInTerminal(
  command: string,
  args: string[],
  options: { columns: number; rows?: number; env?: Record<string, string | undefined> },
): Terminal;
