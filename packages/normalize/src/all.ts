// @genledger/normalize/all: every gateway's ledger adapter, for callers that take them all (the
// `genledger` command). It needs every gateway package installed; pick subpaths to install fewer.
// One line per gateway; `pnpm gateway:new` adds it.
export { fastrouter } from "./fastrouter.js";
export { openrouter } from "./openrouter.js";
export { oxen } from "./oxen.js";
export { vercel } from "./vercel.js";
export { zenmux } from "./zenmux.js";
// gateway:new adds the next gateway above this line.
