// Every mocked gateway; the routes of each are in gateways/<name>.ts.
// Written by scripts/lib/registry.ts (`pnpm gateway:new` runs it) from the gateways that exist; do not edit.

export { cloudflareMock as cloudflare } from "./gateways/cloudflare.js";
export { fastRouterMock as fastrouter } from "./gateways/fastrouter.js";
export { heliconeMock as helicone } from "./gateways/helicone.js";
export { liteLLMMock as litellm } from "./gateways/litellm.js";
export { nanoGPTMock as nanogpt } from "./gateways/nanogpt.js";
export { openRouterMock as openrouter } from "./gateways/openrouter.js";
export { oxenMock as oxen } from "./gateways/oxen.js";
export { vercelMock as vercel } from "./gateways/vercel.js";
export { zenMuxMock as zenmux } from "./gateways/zenmux.js";
