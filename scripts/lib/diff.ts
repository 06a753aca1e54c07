// Classify what changed between two versions of an openapi.yaml by what users of the generated
// package see: exported type names (`operations[...]`, `components["schemas"][...]`), the paths
// of the raw client, request inputs, success and error bodies, and the default server.
//   breaking: something a user's code or requests rely on is gone, renamed, narrowed or moved
//   feature:  something was added that nobody relied on before
//   fix:      documentation only

type Doc = Record<string, any>;
export type Level = "major" | "minor" | "patch";
export interface Change {
  kind: "breaking" | "feature" | "fix";
  /** Where: an operation (`GET /generation`), or "types", "server". */
  where: string;
  /** One sentence for a user: what changed, and for a breaking change what to do. */
  summary: string;
}

const methods = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];
const componentKinds = ["schemas", "responses", "parameters", "requestBodies", "headers"];

function resolve(doc: Doc, ref: string): any {
  return ref
    .slice(2)
    .split("/")
    .map((p) => p.replace(/~1/g, "/").replace(/~0/g, "~"))
    .reduce((node: any, key: string) => node?.[key], doc);
}

function deref(doc: Doc, schema: any, seen = new Set<string>()): any {
  while (schema && typeof schema.$ref === "string" && schema.$ref.startsWith("#/")) {
    if (seen.has(schema.$ref)) return {};
    seen.add(schema.$ref);
    schema = resolve(doc, schema.$ref);
  }
  return schema ?? {};
}

/** A value's type as TypeScript sees it: integer and number are one type; an enum lists its values. */
function typeParts(schema: any): string[] {
  const parts = new Set<string>();
  for (const t of Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : []) {
    parts.add(t === "integer" ? "number" : t);
  }
  if (schema.nullable === true) parts.add("null");
  if (Array.isArray(schema.enum)) {
    // An enum replaces its base type: each value is its own part, so removing one narrows it.
    for (const t of [...parts]) if (t !== "null") parts.delete(t);
    for (const v of schema.enum) parts.add(v === null ? "null" : `=${JSON.stringify(v)}`);
  }
  return [...parts].sort();
}

/** An object that allows keys it does not list (`[key: string]: unknown` in the generated type). */
function isOpen(schema: any): boolean {
  const ap = schema.additionalProperties;
  return ap === true || (typeof ap === "object" && ap !== null);
}

interface Field {
  type: string[];
  optional: boolean;
  open: boolean;
}

/** Every field of a schema as `a.b[].c` ("" is the body itself), following $refs (cycles cut). */
function fields(doc: Doc, schema: any, prefix = "", out = new Map<string, Field>(), depth = 0, optional = false) {
  const s = deref(doc, schema);
  if (depth > 12) return out;
  const parts = [...(s.allOf ?? []), ...(s.oneOf ?? []), ...(s.anyOf ?? [])];
  const existing = out.get(prefix);
  const type = typeParts(s);
  out.set(prefix, {
    type: [...new Set([...(existing?.type ?? []), ...type])].sort(),
    optional: (existing?.optional ?? false) || optional,
    open: (existing?.open ?? false) || isOpen(s),
  });
  for (const part of parts) fields(doc, part, prefix, out, depth + 1, optional);
  const required = new Set<string>(s.required ?? []);
  for (const [name, child] of Object.entries<any>(s.properties ?? {})) {
    fields(doc, child, prefix ? `${prefix}.${name}` : name, out, depth + 1, !required.has(name));
  }
  if (s.items) fields(doc, s.items, `${prefix}[]`, out, depth + 1);
  return out;
}

interface Operation {
  key: string;
  path: string;
  method: string;
  item: any;
  op: any;
}

function operations(doc: Doc): Operation[] {
  const ops: Operation[] = [];
  for (const [path, item] of Object.entries<any>(doc.paths ?? {})) {
    for (const method of methods) {
      if (item?.[method]) ops.push({ key: `${method.toUpperCase()} ${path}`, path, method, item, op: item[method] });
    }
  }
  return ops;
}

/** Request inputs: parameters (by location and name) and JSON body fields, each with its type. */
function inputs(doc: Doc, entry: Operation): Map<string, { required: boolean; type: string[] }> {
  const out = new Map<string, { required: boolean; type: string[] }>();
  for (const p of [...(entry.item.parameters ?? []), ...(entry.op.parameters ?? [])]) {
    const param = deref(doc, p);
    // Authentication is the client's job (its apiKey option), not the caller's input.
    if (param.in === "header" && /^authorization$/i.test(param.name)) continue;
    out.set(`${param.in} parameter \`${param.name}\``, {
      required: param.required === true,
      type: typeParts(deref(doc, param.schema)),
    });
  }
  const body = deref(doc, entry.op.requestBody);
  const schema = body.content?.["application/json"]?.schema;
  if (schema) {
    for (const [name, field] of fields(doc, schema)) {
      if (name === "") continue;
      out.set(`body field \`${name}\``, {
        required: body.required === true && !field.optional && !name.includes("."),
        type: field.type,
      });
    }
  }
  return out;
}

/** Fields of every JSON response with a status matching `which`, merged as openapi-fetch unions them. */
function responseFields(doc: Doc, op: any, which: "success" | "error"): Map<string, Field> {
  const out = new Map<string, Field>();
  for (const [status, response] of Object.entries<any>(op.responses ?? {})) {
    if (/^2\d\d$/.test(status) !== (which === "success")) continue;
    const schema = deref(doc, response)?.content?.["application/json"]?.schema;
    if (schema) fields(doc, schema, "", out);
  }
  return out;
}

/** Drop `a.b` when `a` is in the same list: a new object's own fields are not news. */
function topmost(names: string[]): string[] {
  const set = new Set(names);
  return names.filter((name) => {
    for (let i = name.length - 1; i > 0; i--) {
      if ((name[i] === "." || name[i] === "[") && set.has(name.slice(0, i))) return false;
    }
    return true;
  });
}

const code = (names: string[]) => names.map((n) => `\`${n}\``).join(", ");
const showType = (parts: string[]) => {
  const values = parts.filter((p) => p.startsWith("="));
  const rest = parts.filter((p) => !p.startsWith("="));
  if (values.length > 8) rest.push(`one of ${values.length} values`);
  else rest.push(...values.map((v) => v.slice(1)));
  return rest.join(" | ") || "anything";
};
const gained = (before: string[], after: string[]) => after.filter((p) => !before.includes(p));
const lost = (before: string[], after: string[]) => before.filter((p) => !after.includes(p));

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** The exported names a component kind gives users, e.g. `components["schemas"]["X"]`. */
function componentNames(doc: Doc, kind: string): Map<string, string> {
  return new Map(Object.entries<any>(doc.components?.[kind] ?? {}).map(([name, v]) => [name, JSON.stringify(v)]));
}

function diffBodies(
  add: (kind: Change["kind"], summary: string) => void,
  before: Map<string, Field>,
  after: Map<string, Field>,
  what: "response" | "error response",
) {
  const label = (name: string) => (name === "" ? `the ${what} body` : `${what} field \`${name}\``);
  const removed = topmost([...before.keys()].filter((f) => !after.has(f)));
  if (removed.length > 0) {
    add(
      "breaking",
      what === "error response"
        ? `the error body changed: ${removed.length === 1 ? "field" : "fields"} ${code(removed)} ${removed.length === 1 ? "is" : "are"} gone; read errors through the thrown ApiError (\`code\`, \`message\`, \`body\`) rather than these fields.`
        : `${removed.length === 1 ? "response field" : "response fields"} ${code(removed)} ${removed.length === 1 ? "was" : "were"} removed; code reading ${removed.length === 1 ? "it" : "them"} no longer type-checks and will see \`undefined\`.`,
    );
  }
  const added: string[] = [];
  for (const [name, next] of after) {
    const was = before.get(name);
    if (!was) {
      added.push(name);
      continue;
    }
    const wider = gained(was.type, next.type);
    // A field that may now hold something it could not before breaks readers (a value they do not
    // handle); so does becoming optional. Narrowing a response field is harmless.
    if (wider.length > 0 || (next.optional && !was.optional)) {
      add(
        "breaking",
        `${label(name)} may now be ${wider.length > 0 ? showType(wider) : "absent"} (was ${showType(was.type)}${was.optional ? ", optional" : ""}); handle the new case where you read it.`,
      );
    } else if (lost(was.type, next.type).length > 0 || (was.optional && !next.optional)) {
      add("feature", `${label(name)} is now always ${showType(next.type)}${next.optional ? " when present" : ""}.`);
    }
    if (was.open && !next.open) {
      add(
        "breaking",
        `${label(name)} no longer allows undocumented keys (its \`additionalProperties\` is gone): code reading keys the spec does not list no longer type-checks.`,
      );
    } else if (!was.open && next.open) {
      add("feature", `${label(name)} now keeps undocumented keys in its type.`);
    }
  }
  const news = topmost(added);
  if (news.length > 0) {
    add(
      "feature",
      `new ${what === "error response" ? "error body" : "response"} ${news.length === 1 ? "field" : "fields"}, typed: ${code(news)}.`,
    );
  }
}

export function diffSpecs(before: Doc, after: Doc): Change[] {
  const changes: Change[] = [];
  const at =
    (where: string) =>
    (kind: Change["kind"], summary: string): void => {
      changes.push({ kind, where, summary });
    };

  // The default server is the client's default base URL: moving it changes where requests go.
  const serverBefore = before.servers?.[0]?.url as string | undefined;
  const serverAfter = after.servers?.[0]?.url as string | undefined;
  if (serverBefore && serverBefore !== serverAfter) {
    at("server")(
      "breaking",
      serverAfter
        ? `the API moved from ${serverBefore} to ${serverAfter}; if you pass \`baseUrl\` (or set the _BASE_URL variable), point it at the new address.`
        : `the spec no longer names a server (was ${serverBefore}).`,
    );
  } else if (!serverBefore && serverAfter) {
    at("server")("fix", `the spec now names its server, ${serverAfter}.`);
  }

  const old = operations(before);
  const now = operations(after);
  const byKey = (ops: Operation[], key: string) => ops.find((o) => o.key === key);
  const renamedTo = new Map<string, Operation>();
  for (const o of old) {
    if (byKey(now, o.key)) continue;
    // The same operationId at another path: the path key was renamed (or the endpoint moved).
    const moved = o.op.operationId && now.find((n) => n.op.operationId === o.op.operationId && !byKey(old, n.key));
    if (moved) {
      renamedTo.set(o.key, moved);
      at(o.key)(
        "breaking",
        `moved to \`${moved.key}\`: the typed client's path \`${o.path}\` is gone; call \`${moved.path}\` (the package's own methods already do).`,
      );
    } else {
      at(o.key)("breaking", `removed: \`${o.path}\` no longer exists in \`paths\`; stop calling it.`);
    }
  }
  const moves = new Set([...renamedTo.values()].map((o) => o.key));
  for (const n of now) {
    if (byKey(old, n.key) || moves.has(n.key)) continue;
    const summary = typeof n.op.summary === "string" ? ` (“${n.op.summary.replace(/\.$/, "")}”)` : "";
    at(n.key)("feature", `new operation${summary}, typed.`);
  }

  for (const o of old) {
    const n = byKey(now, o.key) ?? renamedTo.get(o.key);
    if (!n) continue;
    const add = at(n.key);
    const idBefore = o.op.operationId as string | undefined;
    const idAfter = n.op.operationId as string | undefined;
    if (idBefore && idBefore !== idAfter) {
      add(
        "breaking",
        idAfter
          ? `its operationId was renamed from \`${idBefore}\` to \`${idAfter}\`: use \`operations["${idAfter}"]\` instead of \`operations["${idBefore}"]\`.`
          : `its operationId \`${idBefore}\` is gone, and with it \`operations["${idBefore}"]\`.`,
      );
    }
    const inBefore = inputs(before, o);
    const inAfter = inputs(after, n);
    const optional: string[] = [];
    for (const [name, input] of inAfter) {
      const was = inBefore.get(name);
      if (input.required && !was?.required) {
        add("breaking", `${name} is ${was ? "now" : "newly"} required; pass it on every call.`);
      } else if (!was) optional.push(name);
      if (!was) continue;
      const dropped = lost(was.type, input.type);
      if (dropped.length > 0 && input.type.length > 0) {
        add(
          "breaking",
          `${name} no longer accepts ${showType(dropped)} (now ${showType(input.type)}); change calls that send it.`,
        );
      } else if (gained(was.type, input.type).length > 0 && was.type.length > 0) {
        add("feature", `${name} now also accepts ${showType(gained(was.type, input.type))}.`);
      }
    }
    if (optional.length > 0) add("feature", `new optional ${optional.join(", ")}.`);
    for (const name of inBefore.keys()) {
      if (!inAfter.has(name)) add("breaking", `${name} was removed; stop sending it.`);
    }
    diffBodies(add, responseFields(before, o.op, "success"), responseFields(after, n.op, "success"), "response");
    diffBodies(add, responseFields(before, o.op, "error"), responseFields(after, n.op, "error"), "error response");
  }

  // Exported component names: a renamed schema renames a type users may import.
  for (const kind of componentKinds) {
    const a = componentNames(before, kind);
    const b = componentNames(after, kind);
    const gone = [...a.keys()].filter((name) => !b.has(name));
    const fresh = [...b.keys()].filter((name) => !a.has(name));
    for (const name of gone) {
      const same = fresh.find((f) => b.get(f) === a.get(name));
      at("types")(
        "breaking",
        same
          ? `\`components["${kind}"]["${name}"]\` was renamed to \`components["${kind}"]["${same}"]\`; update imports that name it.`
          : `\`components["${kind}"]["${name}"]\` no longer exists; use the package's named types (types.ts) instead.`,
      );
    }
  }

  if (changes.filter((c) => c.kind !== "fix").length === 0 && !sameJson(before, after)) {
    at("docs")("fix", "descriptions and other documentation changed.");
  }
  return changes;
}

/**
 * The changesets level for a set of changes to a package at `version`. Under 0.x a breaking change is
 * a minor bump (0.1.x → 0.2.0) and everything else a patch, so `^0.1.0` users never get a breaking
 * change; from 1.0.0 on: major, minor, patch.
 */
export function levelFor(changes: Change[], version = "1.0.0"): Level | undefined {
  const zero = version.startsWith("0.");
  if (changes.some((c) => c.kind === "breaking")) return zero ? "minor" : "major";
  if (changes.some((c) => c.kind === "feature")) return zero ? "patch" : "minor";
  return changes.length > 0 ? "patch" : undefined;
}

/** The changeset body: grouped by kind, then by where; human sentences, breaking first with what to do. */
export function describeChanges(title: string, changes: Change[]): string {
  const sections: [Change["kind"], string][] = [
    ["breaking", "Breaking — what to do"],
    ["feature", "New"],
    ["fix", "Fixes"],
  ];
  const out = [title];
  for (const [kind, heading] of sections) {
    const mine = changes.filter((c) => c.kind === kind);
    if (mine.length === 0) continue;
    out.push(`**${heading}:**`);
    const wheres = [...new Set(mine.map((c) => c.where))];
    const lines: string[] = [];
    for (const where of wheres) {
      const summaries = mine.filter((c) => c.where === where).map((c) => c.summary);
      const prefix =
        where === "types"
          ? "Types"
          : where === "server"
            ? "Server"
            : where === "docs"
              ? "Documentation"
              : `\`${where}\``;
      if (summaries.length === 1) lines.push(`- ${prefix}: ${summaries[0]}`);
      else lines.push(`- ${prefix}:\n${summaries.map((s) => `  - ${s}`).join("\n")}`);
    }
    out.push(lines.join("\n"));
  }
  return `${out.join("\n\n")}\n`;
}

/** The changeset file: front matter with every package's level, then the description. */
export function changesetFile(levels: Record<string, Level>, body: string): string {
  const front = Object.entries(levels)
    .map(([pkg, level]) => `"${pkg}": ${level}`)
    .join("\n");
  return `---\n${front}\n---\n\n${body}`;
}
