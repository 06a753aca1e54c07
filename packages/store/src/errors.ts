import { GenledgerError } from "@genledger/core";

/**
 * Why a store could not do what was asked. Nothing was half-written: every write is one transaction.
 * - `"bad-url"`: the store URL is not one genledger opens (a typo, an unknown scheme);
 * - `"unreachable"`: the database server did not answer, or went away;
 * - `"read-only"`, `"locked"`, `"full"`: the SQLite file (or its folder) cannot be written now;
 * - `"schema-too-new"`: a newer genledger wrote this database; it is left as it is;
 * - `"invalid-record"`: a record or ref that cannot be stored as given (nothing of its batch was written);
 * - `"closed"`: the store was closed;
 * - `"database"`: any other error the database reported (its message is the cause).
 */
export class StoreError extends GenledgerError {
  static override readonly kind: string = "StoreError";
  declare readonly code:
    | "bad-url"
    | "unreachable"
    | "read-only"
    | "locked"
    | "full"
    | "schema-too-new"
    | "invalid-record"
    | "closed"
    | "database";
  constructor(code: StoreError["code"], message: string, options?: { cause?: unknown }) {
    super(message, options);
    Object.assign(this, { code });
  }
}
