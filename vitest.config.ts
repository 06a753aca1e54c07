import { defineConfig } from "vitest/config";
import { slowTests, sourceAliases } from "./vitest.shared.js";

// One run for the whole repo (`pnpm test`): every package's tests and the scripts' tests, each read from the
// source, and the `slow` project (`*.slow.test.ts`: processes, copies of the repo, real-time waits) that
// `pnpm test:fast` leaves out.
export default defineConfig({
  test: {
    // vitest's default on two cores is one worker; these tests wait on processes and sockets more than they compute.
    maxWorkers: 3,
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
