// Which database a store URL names. A password never leaves this module in a message: `shown` is the URL
// with it replaced.
import { closest } from "@genledger/core/internal";
import { StoreError } from "./errors.js";

export type StoreLocation =
  | { engine: "sqlite"; path: string; shown: string }
  | { engine: "postgres"; connectionString: string; secrets: string[]; shown: string };

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
    // Nothing of a URL that does not parse is shown: where its password ends cannot be told.
    const bad = (why: string) =>
      new StoreError("bad-url", `not a valid PostgreSQL URL (${why}): expected postgres://user:password@host:5432/db`);
    if (!/^[a-zA-Z]+:\/\//.test(text)) throw bad(`"${scheme}:" must be followed by //`);
    let parsed: URL;
    try {
      parsed = new URL(text);
    } catch {
      throw bad("it does not parse");
    }
    // An @ past the host is a password with an unencoded / ? or # in it (postgres://u:12345/pw@host/db
    // parses as host u, port 12345): where it ends cannot be told, so nothing is shown.
    if (`${parsed.pathname}${parsed.search}${parsed.hash}`.includes("@")) {
      throw bad("an @ after the host: write / ? # and @ in a password as %2F %3F %23 %40");
    }
    const secrets: string[] = [];
    const hide = (value: string) => {
      try {
        secrets.push(value, decodeURIComponent(value));
      } catch {
        throw bad("a password is not URL-encoded: write % as %25");
      }
    };
    if (parsed.password) {
      hide(parsed.password);
      parsed.password = "***";
    }
    // libpq's query parameters may carry secrets too.
    for (const name of ["password", "sslpassword"]) {
      const value = parsed.searchParams.get(name);
      if (value) {
        secrets.push(value, encodeURIComponent(value));
        parsed.searchParams.set(name, "***");
      }
    }
    return { engine: "postgres", connectionString: text, secrets, shown: parsed.toString() };
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
