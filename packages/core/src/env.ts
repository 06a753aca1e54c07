// Environment lookup that works where there is no `process` (browsers, edge runtimes).
export function readEnv(name: string): string | undefined {
  const value = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.[name];
  return value === undefined || value.trim() === "" ? undefined : value.trim();
}
