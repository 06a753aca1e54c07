export {
  fastRouterGeneration,
  openRouterGeneration,
  oxenGeneration,
  oxenJobs,
  seeded,
  zenMuxGeneration,
} from "./fixtures.js";
export {
  createHandlers,
  defaultBaseUrls,
  errorBody,
  type Fault,
  type GatewayMock,
  type GatewayName,
  type MockGatewayOptions,
  missingIdPrefix,
  type OxenMock,
} from "./handlers.js";
export {
  type HostileBehaviour,
  type HostileGateway,
  type HostileRequest,
  hostileBehaviours,
  type StartHostileGatewayOptions,
  startHostileGateway,
} from "./hostile.js";
export { type MockGateway, type StartMockGatewayOptions, startMockGateway } from "./server.js";
