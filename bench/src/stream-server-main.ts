// Child process: the capture benchmark's streaming server. Prints its URL as one JSON line, then serves until killed.
import { startStreamServer } from "./stream-server.js";

const server = await startStreamServer(JSON.parse(process.argv[2] ?? "{}"));
process.stdout.write(`${JSON.stringify({ url: server.url })}\n`);
process.once("SIGTERM", () => void server.close().then(() => process.exit(0)));
