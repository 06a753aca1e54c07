// Options are checked when they are given: a misspelt name or a NaN must be an error, not a silent
// default (a `wait` without a usable timeout would poll the gateway with no end). The checker is core's,
// the one every option of genledger goes through.
export { checkOptions, type OptionSpec } from "@genledger/core/internal";
