// Which database a store URL names. A password never leaves this module in a message: `shown` is the URL
// with it replaced.
import { closest } from "@genledger/core";
import { StoreError } from "./errors.js";

export type StoreLocation =
  | { engine: "sqlite"; path: string; shown: string }
  | { engine: "postgres"; connectionString: string; password: string | undefined; shown: string };

const schemes = ["sqlite", "file", "postgres", "postgresql"];

/**
 * `sqlite:./genledger.db`, `sqlite:///abs/path.db`, `file:./x.db` or a bare path: a SQLite file;
 * `postgres://user:pass@host:5432/db` (or `postgresql://`): PostgreSQL.
 */
export function parseStoreUrl(url: string): StoreLocation {
  if (typeof url !== "string" || url.trim() === "") {
    throw new StoreError("bad-url", "a store URL is needed: a SQLite file (./genledger.db) or postgres://…");
  }
  const text = url.trim();
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(text)?.[1];
  // A Windows drive letter ("C:\\x.db") is a path, not a scheme.
  if (!scheme || /^[a-zA-Z]:[\\/]/.test(text)) return sqlite(text, text);
  const lower = scheme.toLowerCase();
  if (lower === "sqlite" || lower === "file") {
    const rest = text.slice(scheme.length + 1);
    // sqlite:///abs (URL form) → /abs; sqlite://./rel → ./rel; sqlite:rel → rel
    const path = rest.startsWith("///") ? rest.slice(2) : rest.startsWith("//") ? rest.slice(2) : rest;
    if (path === "" || path.includes("?")) {
      throw new StoreError("bad-url", `${JSON.stringify(text)}: expected sqlite:PATH, such as sqlite:./genledger.db`);
    }
    if (path === ":memory:") return { engine: "sqlite", path, shown: text };
    return sqlite(path, text);
  }
  if (lower === "postgres" || lower === "postgresql") {
    let parsed: URL;
    try {
      parsed = new URL(text);
    } catch {
      throw new StoreError("bad-url", `not a valid PostgreSQL URL: ${hidePassword(text)}`);
    }
    const password = parsed.password ? decodeURIComponent(parsed.password) : undefined;
    if (parsed.password) parsed.password = "***";
    return { engine: "postgres", connectionString: text, password, shown: parsed.toString() };
  }
  const near = closest(lower, schemes);
  throw new StoreError(
    "bad-url",
    `unknown store URL scheme "${scheme}:"${near ? ` (did you mean "${near}:"?)` : ""}: use a SQLite file (./genledger.db, sqlite:./genledger.db) or postgres://user@host/db`,
  );
}

function sqlite(path: string, shown: string): StoreLocation {
  return { engine: "sqlite", path, shown };
}

/** `postgres://u:secret@h` → `postgres://u:***@h`, for a URL that did not even parse. */
export function hidePassword(text: string): string {
  return text.replace(/(\/\/[^:/@]*:)[^@]*@/, "$1***@");
}
