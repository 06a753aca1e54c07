// Entry for Node, Bun and Deno: the config as JSON in the first argument, the result as JSON on stdout.
import { lookups } from "./lookups.js";

const runtime = globalThis.Deno
  ? { name: "deno", version: globalThis.Deno.version.deno }
  : globalThis.Bun
    ? { name: "bun", version: globalThis.Bun.version }
    : { name: "node", version: process.versions.node };
const config = globalThis.Deno ? globalThis.Deno.args[0] : process.argv[2];
const result = await lookups(JSON.parse(config));
console.log(JSON.stringify({ runtime, ...result }));
