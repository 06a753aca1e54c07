// @genledger/testing: fixtures and the loopback mock gateway. No msw here: the msw handlers are
// `@genledger/testing/msw`.
export {
  fastRouterGeneration,
  openRouterGeneration,
  oxenGeneration,
  oxenJobs,
  seeded,
  zenMuxGeneration,
} from "./fixtures.js";
export { vercelGeneration } from "./gateways/vercel.js";
export {
  type HostileBehaviour,
  type HostileGateway,
  type HostileRequest,
  hostileBehaviours,
  type StartHostileGatewayOptions,
  startHostileGateway,
} from "./hostile.js";
export {
  baseUrlEnv,
  defaultBaseUrls,
  errorBody,
  type Fault,
  type GatewayMock,
  type GatewayName,
  gatewayNames,
  type MockGatewayOptions,
  type MockRateLimit,
  type MountedGateway,
  missingIdPrefix,
  mountGateways,
  type OxenMock,
} from "./routes.js";
export { type MockGateway, type StartMockGatewayOptions, startMockGateway } from "./server.js";
