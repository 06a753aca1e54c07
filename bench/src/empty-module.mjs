// Imported by the start-up benchmark: what loading any ES module costs on its own (the ESM loader starting).
export {};
