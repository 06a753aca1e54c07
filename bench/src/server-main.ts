// Child process: the throughput server. Prints its base URLs as one JSON line, then serves until killed.
import { startBenchServer } from "./gateway-server.js";

const server = await startBenchServer();
process.stdout.write(`${JSON.stringify(server.baseUrls)}\n`);
process.once("SIGTERM", () => void server.close().then(() => process.exit(0)));
