// The types of entry-points.mjs, for the TypeScript projects that import it without allowJs (vitest.shared.ts).
export interface Manifest {
  exports?: Record<string, unknown>;
  bin?: string | Record<string, string>;
}
export interface Entry {
  /** "." or "./x" */
  subpath: string;
  /** "x": dist/x.js */
  output: string;
  /** "src/x.ts" */
  source: string;
}
export function libraryEntries(pkg: Manifest): Entry[];
export function binEntries(pkg: Manifest): Entry[];
