// @genledger/normalize/all: every gateway's ledger adapter, for callers that take them all (the `genledger`
// command). It needs every gateway package installed; pick subpaths to install fewer.
// Written by scripts/lib/registry.ts (`pnpm gateway:new` runs it) from the gateways that exist; do not edit.

export { cloudflare } from "./cloudflare.js";
export { fastrouter } from "./fastrouter.js";
export { helicone } from "./helicone.js";
export { litellm } from "./litellm.js";
export { nanogpt } from "./nanogpt.js";
export { openrouter } from "./openrouter.js";
export { oxen } from "./oxen.js";
export { vercel } from "./vercel.js";
export { zenmux } from "./zenmux.js";
