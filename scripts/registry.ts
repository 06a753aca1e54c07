// pnpm registry: derive every list of gateways again from the gateways that exist (scripts/lib/registry.ts);
// `pnpm gateway:new` runs the same. Prints what it wrote.

import { registerGateways } from "./lib/registry.js";
import { listed } from "./lib/scaffold.js";

const changes = await registerGateways();
console.log(
  changes.length === 0 ? "every list of gateways is in step" : `wrote:\n${listed(changes.map((c) => c.file))}`,
);
