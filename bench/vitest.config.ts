import { defineProject } from "vitest/config";
import { sourceAliases } from "../vitest.shared.js";

export default defineProject({
  resolve: { alias: sourceAliases },
  test: { name: "bench", include: ["src/**/*.test.ts"], testTimeout: 60_000 },
});
