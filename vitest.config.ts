import { defineConfig } from "vitest/config";

// One workspace: `pnpm vitest` at the root runs every package's tests and the scripts' tests.
export default defineConfig({
  test: {
    projects: ["packages/*", "scripts", "bench"],
  },
});
