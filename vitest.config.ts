import { relative } from "node:path";
import { defineConfig } from "vitest/config";
import { BaseSequencer, type TestSpecification } from "vitest/node";
import { slowTests, sourceAliases } from "./vitest.shared.js";

/**
 * Longest files first, whatever their project (vitest's own order takes projects one after another, so the
 * longest file of the last project starts last). Like vitest's: files that failed last time first, then by
 * the last run's duration; where a file has none (a fresh clone), larger files first.
 */
class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const { cache, config } = this.ctx;
    const rank = (file: TestSpecification): [number, number, number] => {
      const key = `${file.project.name}:${relative(config.root, file.moduleId)}`;
      const last = cache.getFileTestResults(key);
      if (!last) return [1, 0, cache.getFileStats(key)?.size ?? 0];
      return [last.failed ? 2 : 0, last.duration ?? 0, 0];
    };
    const ranks = new Map(files.map((file) => [file, rank(file)]));
    return [...files].sort((a, b) => {
      const [x, y] = [ranks.get(a)!, ranks.get(b)!];
      return y[0] - x[0] || y[1] - x[1] || y[2] - x[2];
    });
  }
}

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
