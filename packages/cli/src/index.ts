export { parseRefs, readDone } from "./batch.js";
export { main } from "./cli.js";
