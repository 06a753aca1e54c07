// Every mocked gateway, one line each (`pnpm gateway:new` adds the line); the routes are in gateways/<name>.ts.
export { fastRouterMock as fastrouter } from "./gateways/fastrouter.js";
export { openRouterMock as openrouter } from "./gateways/openrouter.js";
export { oxenMock as oxen } from "./gateways/oxen.js";
export { vercelMock as vercel } from "./gateways/vercel.js";
export { zenMuxMock as zenmux } from "./gateways/zenmux.js";
// gateway:new adds the next gateway above this line.
