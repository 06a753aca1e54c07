export { parseRef } from "./batch.js";
export { main } from "./cli.js";
