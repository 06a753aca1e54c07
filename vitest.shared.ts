import { defineProject } from "vitest/config";

/** Every package's vitest project: unit tests beside the source, type tests (`*.test-d.ts`) checked by tsc. */
export function packageProject(name: string) {
  return defineProject({
    test: {
      name,
      include: ["src/**/*.test.ts"],
      typecheck: { enabled: true, include: ["src/**/*.test-d.ts"], tsconfig: "./tsconfig.json" },
      testTimeout: 20_000,
    },
  });
}
