import { relative } from "node:path";
import { defineConfig } from "vitest/config";
import { BaseSequencer, type TestSpecification } from "vitest/node";
import { slowTests, sourceAliases } from "./vitest.shared.js";

/**
 * Longest files first, whatever their project (vitest's own order takes projects one after another, so the
 * longest file of the last project starts last): the last run's durations, unknown files first.
 */
class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const { cache, config } = this.ctx;
    const duration = (file: TestSpecification) =>
      cache.getFileTestResults(`${file.project.name}:${relative(config.root, file.moduleId)}`)?.duration ??
      Number.POSITIVE_INFINITY;
    return [...files].sort((a, b) => duration(b) - duration(a));
  }
}

// One run for the whole repo (`pnpm test`): every package's tests and the scripts' tests, each read from the
// source, and the `slow` project (`*.slow.test.ts`: processes, copies of the repo, real-time waits) that
// `pnpm test:fast` leaves out.
export default defineConfig({
  test: {
    // Four on two cores (measured: test:fast 26 s, against 30 s with three): many tests wait on sockets,
    // processes and real backoff rather than compute.
    maxWorkers: 4,
    sequence: { sequencer: LongestFirst },
    projects: [
      "packages/*",
      "scripts",
      "bench",
      {
        resolve: { alias: sourceAliases },
        // A slow test's timeout only stops a hang: a busy machine may take minutes, and that is no failure.
        test: { name: "slow", include: [`packages/*/src/${slowTests}`, `scripts/${slowTests}`], testTimeout: 900_000 },
      },
    ],
  },
});
