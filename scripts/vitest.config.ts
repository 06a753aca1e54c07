import { defineProject } from "vitest/config";
import { slowTests, sourceAliases } from "../vitest.shared.js";

export default defineProject({
  resolve: { alias: sourceAliases },
  test: { name: "scripts", include: ["**/*.test.ts"], exclude: [slowTests, "**/node_modules/**"], testTimeout: 60_000 },
});
