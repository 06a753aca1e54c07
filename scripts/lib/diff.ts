// Classify what changed between two versions of an openapi.yaml, for changesets.
//   breaking: an operation removed, a response field removed or retyped, an input newly required
//   feature:  an operation, a response field or an optional input added
//   fix:      anything else (descriptions, examples, ...)

type Doc = Record<string, any>;
export type Bump = "major" | "minor" | "patch";
export interface Change {
  kind: "breaking" | "feature" | "fix";
  summary: string;
}

const methods = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

function deref(doc: Doc, schema: any, seen = new Set<string>()): any {
  while (schema && typeof schema.$ref === "string" && schema.$ref.startsWith("#/")) {
    if (seen.has(schema.$ref)) return {};
    seen.add(schema.$ref);
    schema = schema.$ref
      .slice(2)
      .split("/")
      .map((p: string) => p.replace(/~1/g, "/").replace(/~0/g, "~"))
      .reduce((node: any, key: string) => node?.[key], doc);
  }
  return schema ?? {};
}

/** A field's type as TypeScript sees it: integer and number are one type; an enum lists its values. */
function typeOf(schema: any): string {
  const types = (Array.isArray(schema.type) ? [...schema.type] : schema.type ? [schema.type] : []).map((t: string) =>
    t === "integer" ? "number" : t,
  );
  if (schema.nullable === true && !types.includes("null")) types.push("null");
  if (schema.enum) types.push(`enum(${[...schema.enum].map(String).sort().join("|")})`);
  return [...new Set(types)].sort().join("|") || "any";
}

/** Short enough for a changelog line. */
function show(type: string): string {
  return type.replace(/enum\(([^)]*)\)/g, (whole, values: string) => {
    const n = values.split("|").length;
    return n > 6 ? `enum of ${n} values` : whole;
  });
}

/** Drop `a.b` when `a` is in the same set: a new object's own fields are not news. */
function topmost(names: string[]): string[] {
  const set = new Set(names);
  return names.filter((name) => {
    for (let i = name.length - 1; i > 0; i--) {
      if ((name[i] === "." || name[i] === "[") && set.has(name.slice(0, i))) return false;
    }
    return true;
  });
}

/** Every field of a schema as `a.b[].c` → type (`|optional` when not required), following $refs (cycles cut). */
function fields(
  doc: Doc,
  schema: any,
  prefix = "",
  out = new Map<string, string>(),
  depth = 0,
  optional = false,
): Map<string, string> {
  const s = deref(doc, schema);
  if (depth > 12) return out;
  if (prefix) out.set(prefix, typeOf(s) + (optional ? "|optional" : ""));
  for (const part of [...(s.allOf ?? []), ...(s.oneOf ?? []), ...(s.anyOf ?? [])]) {
    fields(doc, part, prefix, out, depth + 1, optional);
  }
  const required = new Set<string>(s.required ?? []);
  for (const [name, child] of Object.entries<any>(s.properties ?? {})) {
    fields(doc, child, prefix ? `${prefix}.${name}` : name, out, depth + 1, !required.has(name));
  }
  if (s.items) fields(doc, s.items, `${prefix}[]`, out, depth + 1);
  return out;
}

function operations(doc: Doc): Map<string, any> {
  const ops = new Map<string, any>();
  for (const [path, item] of Object.entries<any>(doc.paths ?? {})) {
    for (const method of methods)
      if (item?.[method]) ops.set(`${method.toUpperCase()} ${path}`, { item, op: item[method] });
  }
  return ops;
}

function parameters(doc: Doc, entry: { item: any; op: any }): Map<string, { required: boolean }> {
  const out = new Map<string, { required: boolean }>();
  for (const p of [...(entry.item.parameters ?? []), ...(entry.op.parameters ?? [])]) {
    const param = deref(doc, p);
    if (param.in === "header" && /^authorization$/i.test(param.name)) continue;
    out.set(`${param.in} parameter \`${param.name}\``, { required: param.required === true });
  }
  return out;
}

function bodyFields(doc: Doc, op: any): Map<string, { required: boolean }> {
  const out = new Map<string, { required: boolean }>();
  const body = deref(doc, op.requestBody);
  const schema = deref(doc, body.content?.["application/json"]?.schema);
  const required = new Set<string>(schema.required ?? []);
  for (const name of Object.keys(schema.properties ?? {})) {
    out.set(`body field \`${name}\``, { required: body.required === true && required.has(name) });
  }
  return out;
}

function successFields(doc: Doc, op: any): Map<string, string> {
  const out = new Map<string, string>();
  for (const [status, response] of Object.entries<any>(op.responses ?? {})) {
    if (!/^2\d\d$/.test(status)) continue;
    const schema = deref(doc, response)?.content?.["application/json"]?.schema;
    if (schema) for (const [k, v] of fields(doc, schema)) out.set(k, v);
  }
  return out;
}

export function diffSpecs(before: Doc, after: Doc): Change[] {
  const changes: Change[] = [];
  const add = (kind: Change["kind"], summary: string) => changes.push({ kind, summary });
  const old = operations(before);
  const now = operations(after);
  for (const key of old.keys()) if (!now.has(key)) add("breaking", `removed operation ${key}`);
  for (const key of now.keys()) if (!old.has(key)) add("feature", `added operation ${key}`);
  for (const [key, entry] of now) {
    const previous = old.get(key);
    if (!previous) continue;
    const inputsBefore = new Map([...parameters(before, previous), ...bodyFields(before, previous.op)]);
    const inputsAfter = new Map([...parameters(after, entry), ...bodyFields(after, entry.op)]);
    for (const [name, input] of inputsAfter) {
      const was = inputsBefore.get(name);
      if (input.required && !was?.required) add("breaking", `${key}: ${name} is ${was ? "now" : "newly"} required`);
      else if (!was) add("feature", `${key}: added optional ${name}`);
    }
    for (const name of inputsBefore.keys()) if (!inputsAfter.has(name)) add("breaking", `${key}: removed ${name}`);
    const fieldsBefore = successFields(before, previous.op);
    const fieldsAfter = successFields(after, entry.op);
    for (const field of topmost([...fieldsBefore.keys()].filter((f) => !fieldsAfter.has(f)))) {
      add("breaking", `${key}: removed response field \`${field}\``);
    }
    for (const [field, type] of fieldsBefore) {
      const next = fieldsAfter.get(field);
      if (next === undefined || next === type) continue;
      // A response field that may now be something it could not be before breaks readers;
      // one that got narrower (optional → required, nullable → not) does not.
      const was = new Set(type.split("|"));
      const widened = next.split("|").some((part) => !was.has(part));
      add(
        widened ? "breaking" : "feature",
        `${key}: response field \`${field}\` changed from ${show(type)} to ${show(next)}`,
      );
    }
    for (const field of topmost([...fieldsAfter.keys()].filter((f) => !fieldsBefore.has(f)))) {
      add("feature", `${key}: added response field \`${field}\` (${show(fieldsAfter.get(field) ?? "any")})`);
    }
  }
  if (changes.length === 0 && JSON.stringify(before) !== JSON.stringify(after)) {
    add("fix", "descriptions and other documentation changed");
  }
  return changes;
}

export function bumpFor(changes: Change[]): Bump | undefined {
  if (changes.some((c) => c.kind === "breaking")) return "major";
  if (changes.some((c) => c.kind === "feature")) return "minor";
  return changes.length > 0 ? "patch" : undefined;
}

/** The changeset file for one package: front matter with the bump, then what changed, for users. */
export function changesetFor(pkg: string, title: string, changes: Change[]): string {
  const bump = bumpFor(changes);
  if (!bump) throw new Error("no changes");
  const order = { breaking: 0, feature: 1, fix: 2 } as const;
  const lines = [...changes].sort((a, b) => order[a.kind] - order[b.kind]).map((c) => `- ${c.kind}: ${c.summary}`);
  return `---\n"${pkg}": ${bump}\n---\n\n${title}\n\n${lines.join("\n")}\n`;
}
