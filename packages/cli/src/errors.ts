// How the command words an error.
import { MissingApiKeyError } from "@genledger/core";
import { clean } from "./text.js";

/** One line for an error; a missing key names the variable to set, not a library option. */
export function describeError(error: unknown): string {
  if (MissingApiKeyError.isInstance(error)) return `${error.envVar} is not set (the ${error.provider} API key)`;
  const message = clean(error instanceof Error ? error.message : String(error));
  // The library's option, as the command spells it.
  return message.replace("pass `allowInsecureHttp: true`", "set GENLEDGER_ALLOW_INSECURE_HTTP=1");
}
