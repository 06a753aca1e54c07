// Numbers and ids that are the same for the same input: the mocks' bodies are deterministic per id.

/** A stable number in [0, 1) from a string, so the same id always gets the same numbers. */
export function seeded(text: string, salt = 0): number {
  let h = 2166136261 ^ salt;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return ((h >>> 0) % 1_000_000) / 1_000_000;
}
