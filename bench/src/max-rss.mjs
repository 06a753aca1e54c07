// Preloaded with --import into a measured process: on exit, writes its peak resident set size (KiB) to
// $BENCH_MAX_RSS_FILE (what /proc/<pid>/status calls VmHWM), so the harness reads it the same way on any OS.
import { writeFileSync } from "node:fs";

process.once("exit", () => {
  if (process.env.BENCH_MAX_RSS_FILE)
    writeFileSync(process.env.BENCH_MAX_RSS_FILE, String(process.resourceUsage().maxRSS));
});
