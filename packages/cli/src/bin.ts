#!/usr/bin/env node
import { main } from "./cli.js";

// A reader that went away (`genledger demo | head -1`) ends the command quietly, as SIGPIPE would.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code !== "EPIPE") throw error;
    process.exit(141);
  });
}

process.exitCode = await main(process.argv);
