// A hostile gateway on loopback: answers the way a broken or malicious gateway would (echoing the
// key back, gzip bombs, absurd nesting, someone else's generation, ...), so code that uses genledger
// can be tested against it. Each misbehaviour has its own base URL.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { gzipSync } from "node:zlib";
import { defaultBaseUrls, errorBody, fixtures, type GatewayName } from "./routes.js";

export const hostileBehaviours = [
  /** A normal answer for the id asked. */
  "ok",
  /** 401 with the key in the status text, the `x-request-id` header and the error body. */
  "echo-key-error",
  /** 200 for the id asked, with the key in a field, plainly and as JSON `\u` escapes. */
  "echo-key-success",
  /** 307 to a URL carrying the key, where the answer stalls until the client gives up. */
  "echo-key-redirect",
  /** 200, `content-encoding: gzip`: a few KB that inflate to `bombBytes` (default 64 MiB). */
  "gzip-bomb",
  /** 200 whose JSON nests 100 000 levels deep. */
  "deep-json",
  /** 500 whose JSON nests 100 000 levels deep. */
  "deep-json-error",
  /** 200 with a well-formed generation for another id. */
  "wrong-id",
  /** 200 carrying the gateway's error envelope. */
  "error-envelope-200",
  /** 200 with `{}`. */
  "empty-object",
  /** 200 whose body stops halfway (the connection is cut). */
  "truncated-body",
  /** 200 whose body stops halfway and then nothing more comes. */
  "stalled-body",
  /** 200 with 64 KB of headers. */
  "huge-headers",
  /** 307 to the `ok` answer on the same origin (a POST must be re-sent with its body). */
  "redirect-same-origin",
  /** 307 to the `ok` answer on another origin (`localhost` instead of `127.0.0.1`). */
  "redirect-cross-origin",
] as const;

export type HostileBehaviour = (typeof hostileBehaviours)[number];

export interface HostileRequest {
  behaviour: HostileBehaviour;
  method: string;
  /** Path and query as received. */
  url: string;
  /** The `host` header: shows which origin a redirect reached. */
  host: string;
  /** Whether an Authorization header came with it (the key itself is not kept). */
  authorized: boolean;
  body: string;
}

export interface HostileGateway {
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** The base URL, for a client's `baseUrl` option, where `gateway` misbehaves as `behaviour` says. */
  baseUrl(behaviour: HostileBehaviour, gateway: GatewayName): string;
  /** Every request received, in order. */
  requests: HostileRequest[];
  close(): Promise<void>;
}

export interface StartHostileGatewayOptions {
  /** How far the gzip bomb inflates. Default 64 MiB. */
  bombBytes?: number;
}

// Each gateway's path under its host, as its real base URL has it (`/api/v1` for OpenRouter).
const prefixes = Object.fromEntries(
  Object.entries(defaultBaseUrls).map(([name, url]) => [name, new URL(url).pathname.replace(/\/+$/, "")]),
) as Record<GatewayName, string>;

/** Start the hostile gateway on a free loopback port. */
export async function startHostileGateway(options: StartHostileGatewayOptions = {}): Promise<HostileGateway> {
  const requests: HostileRequest[] = [];
  let bomb: Buffer | undefined;
  const sockets = new Set<import("node:net").Socket>();
  let port = 0;
  const server = createServer((req, res) => {
    serve(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain" });
      res.end(`hostile gateway failed: ${String(error)}`);
    });
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });

  async function serve(req: IncomingMessage, res: ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const [, behaviour, gateway, ...rest] = url.pathname.split("/") as [
      string,
      HostileBehaviour,
      GatewayName,
      ...string[],
    ];
    const key = /^Bearer (.+)$/.exec(req.headers.authorization ?? "")?.[1] ?? "";
    const body = Buffer.concat(chunks).toString("utf8");
    requests.push({
      behaviour,
      method: req.method ?? "GET",
      url: req.url ?? "/",
      host: req.headers.host ?? "",
      authorized: req.headers.authorization !== undefined,
      body,
    });
    const id = idAsked(gateway, url, rest, body);
    const json = (status: number, value: unknown, headers: Record<string, string> = {}, statusText?: string) => {
      const text = typeof value === "string" ? value : JSON.stringify(value);
      const all = { "content-type": "application/json", "content-length": String(Buffer.byteLength(text)), ...headers };
      if (statusText === undefined) res.writeHead(status, all);
      else res.writeHead(status, statusText, all);
      res.end(text);
    };
    const elsewhere = (origin: string) => `${origin}/ok/${gateway}/${rest.join("/")}${url.search}`;
    switch (behaviour) {
      case "ok":
        return json(200, answer(gateway, id));
      case "echo-key-error":
        return json(
          401,
          { error: { message: `invalid key ${key}`, code: key }, status: "error", status_message: `bad ${key}` },
          { "x-request-id": `req-${key}` },
          `Unauthorized ${key}`,
        );
      case "echo-key-success": {
        const escaped = [...key].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`).join("");
        const text = JSON.stringify(answer(gateway, id));
        // One field plain, one escaped, placed inside the gateway's own object (LiteLLM's row, in its array).
        const end = text.lastIndexOf("}");
        return json(200, `${text.slice(0, end)},"echo":"${key}","escaped":"${escaped}","${key}":1${text.slice(end)}`);
      }
      case "echo-key-redirect":
        if (rest[0] === "landing") return; // never answered
        res.writeHead(307, { location: `/${behaviour}/${gateway}/landing/${encodeURIComponent(key)}?key=${key}` });
        return res.end();
      case "gzip-bomb": {
        bomb ??= gzipSync(Buffer.alloc(options.bombBytes ?? 64 * 1024 * 1024, 0x20), { level: 9 });
        res.writeHead(200, { "content-type": "application/json", "content-encoding": "gzip" });
        return res.end(bomb);
      }
      case "deep-json":
        return json(200, `{"data":${"[".repeat(100_000)}${"]".repeat(100_000)}}`);
      case "deep-json-error":
        return json(500, `{"error":${"[".repeat(100_000)}${"]".repeat(100_000)}}`);
      case "wrong-id":
        return json(200, answer(gateway, `${id}-someone-else`));
      case "error-envelope-200":
        return json(
          200,
          gateway === "oxen"
            ? { status: "error", status_message: "resource_not_found" }
            : gateway === "cloudflare" || gateway === "helicone"
              ? errorBody[gateway](404, "Generation not found")
              : { error: { code: "not_found", message: "Generation not found" } },
        );
      case "empty-object":
        return json(200, {});
      case "truncated-body":
      case "stalled-body": {
        const text = JSON.stringify(answer(gateway, id));
        res.writeHead(200, { "content-type": "application/json", "content-length": String(text.length) });
        res.write(text.slice(0, text.length >> 1));
        if (behaviour === "truncated-body") setTimeout(() => res.socket?.destroy(), 10);
        return; // stalled: the rest never comes
      }
      case "huge-headers":
        return json(200, answer(gateway, id), { "x-padding": "x".repeat(64 * 1024) });
      case "redirect-same-origin":
        res.writeHead(307, { location: elsewhere("") });
        return res.end();
      case "redirect-cross-origin":
        res.writeHead(307, { location: elsewhere(`http://localhost:${port}`) });
        return res.end();
      default:
        return json(404, { error: { message: `no such behaviour: ${behaviour}` } });
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  const origin = `http://127.0.0.1:${port}`;
  return {
    url: origin,
    baseUrl: (behaviour, gateway) => `${origin}/${behaviour}/${gateway}${prefixes[gateway]}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** The id a client asked for, wherever its gateway puts it. */
function idAsked(gateway: GatewayName, url: URL, rest: string[], body: string): string {
  if (gateway === "fastrouter") {
    try {
      return String((JSON.parse(body) as { generation_id?: unknown }).generation_id ?? "");
    } catch {
      return "";
    }
  }
  if (gateway === "oxen" || gateway === "nanogpt" || gateway === "helicone")
    return decodeURIComponent(rest.at(-1) ?? "");
  if (gateway === "cloudflare") {
    // …/accounts/{account}/ai-gateway/gateways/{gateway}/logs/{log}: the ref is all three.
    const at = rest.indexOf("accounts");
    return [rest[at + 1], rest[at + 4], rest[at + 6]].map((p) => decodeURIComponent(p ?? "")).join("/");
  }
  if (gateway === "litellm") return url.searchParams.get("request_id") ?? "";
  return url.searchParams.get("id") ?? "";
}

/** A well-formed answer of `gateway` for `id`. */
function answer(gateway: GatewayName, id: string): unknown {
  return fixtures[gateway](id);
}
