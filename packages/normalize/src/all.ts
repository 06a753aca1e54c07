// @genledger/normalize/all: every gateway's ledger adapter, for callers that take them all (the `genledger`
// command). It needs every gateway package installed; pick subpaths to install fewer.
// Written by scripts/lib/registry.ts (`pnpm gateway:new` runs it) from the gateways that exist; do not edit.

export { fastrouter } from "./fastrouter.js";
export { openrouter } from "./openrouter.js";
export { oxen } from "./oxen.js";
export { vercel } from "./vercel.js";
export { zenmux } from "./zenmux.js";
