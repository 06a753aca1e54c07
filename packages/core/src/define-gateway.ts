// A gateway described once: who it is (name, environment, server, error envelope) and how one generation
// is looked up, with the path, its parameters and the answer typed by the gateway's generated `paths`.
// The client factory, the fetch client and the mock all read the same definition.
import type { OperationRequestBodyContent, PathsWithMethod, SuccessResponseJSON } from "openapi-typescript-helpers";
import { requireId } from "./errors.js";
import { createGateway, type Gateway, pathSegment } from "./gateway.js";
import { asObject } from "./json.js";
import type {
  CallOptions,
  GatewayClientOptions,
  GatewayRequest,
  GatewaySpec,
  NotFoundReading,
  RateLimitState,
} from "./types.js";

/** The fields a generated type declares, without its index signature (`[key: string]: unknown`). */
export type Known<T> = {
  [K in keyof T as string extends K ? never : number extends K ? never : K]: T[K];
};

type Depth = [never, 0, 1, 2];
/** Dotted paths to the fields `T` declares, three levels deep: `"data.id"`. A renamed field is a type error. */
export type FieldPath<T, D extends number = 3> = [D] extends [never]
  ? never
  : T extends readonly unknown[]
    ? never
    : T extends object
      ? {
          [K in keyof Known<T> & string]: K | `${K}.${FieldPath<NonNullable<Known<T>[K]>, Depth[D]>}`;
        }[keyof Known<T> & string]
      : never;

type LookupMethod = "get" | "post";
type Operation<Paths, P, M extends LookupMethod> = P extends keyof Paths
  ? M extends keyof Paths[P]
    ? NonNullable<Paths[P][M]>
    : never
  : never;
type Parameters<Op, In extends "query" | "path"> = Op extends { parameters: { [W in In]?: infer V } } ? V : never;

/** One lookup's request, as the spec declares it: path parameters, query and JSON body. */
export interface LookupRequest<Op> {
  path?: Parameters<Op, "path">;
  query?: Parameters<Op, "query">;
  body?: OperationRequestBodyContent<Op>;
}

/** The generation in an answer: the answer itself, or its one row where it is an array of rows (LiteLLM's). */
type Generation<Body> = Body extends readonly (infer Row)[] ? Row : Body;

/** How one generation is looked up, checked against the spec's `paths`. */
export interface LookupDefinition<Paths extends {}, M extends LookupMethod, P extends PathsWithMethod<Paths, M>> {
  method: M;
  /** A path of the spec, `{name}` for its path parameters. */
  path: P;
  /** The request for one id. */
  request(id: string): LookupRequest<Operation<Paths, P, M>>;
  /**
   * Where the answer names the generation: it must be the id asked. Left out by a gateway whose `check`
   * reads the id itself (a quirk: ZenMux's older spelling, FastRouter's optional id).
   */
  idAt?: FieldPath<Generation<SuccessResponseJSON<Operation<Paths, P, M>>>>;
  /** Safe to send twice. Default: true for GET, false for POST. */
  idempotent?: boolean;
  /** What else is wrong with a body for `id` (read after "answered 200 with ..."), or undefined. */
  check?(body: Record<string, unknown>, id: string): string | undefined;
  /**
   * The answer is an array of rows that must hold exactly the generation asked (LiteLLM's spend logs);
   * `idAt` and `check` read that row.
   */
  rows?: boolean;
  /** An answer that means "no such generation (yet)" whatever its status: a NotFoundError, with why. */
  notFound?: NotFoundReading;
}

/** The answer of a lookup, as the spec declares it. */
export type LookupBody<
  Paths extends {},
  M extends LookupMethod,
  P extends PathsWithMethod<Paths, M>,
> = SuccessResponseJSON<Operation<Paths, P, M>>;

/** The runtime part of a lookup, once its types are checked. */
export interface Lookup {
  method: LookupMethod;
  path: string;
  request(id: string): { path?: object; query?: object; body?: unknown };
  idAt?: string | undefined;
  idempotent?: boolean | undefined;
  check?(body: Record<string, unknown>, id: string): string | undefined;
  rows?: boolean | undefined;
  notFound?: NotFoundReading | undefined;
}

/**
 * A gateway, defined: what core needs to talk to it (`GatewaySpec`) and its lookup. `Body` is the answer
 * of the lookup and `Paths` the spec's paths (for `createFetchClient`); both are carried by the type only.
 */
export interface GatewayDefinition<Body = unknown, Paths = unknown> extends GatewaySpec {
  readonly lookup: Lookup;
  /** Types only: never set. */
  readonly types?: { body: Body; paths: Paths };
}

type DefinitionInput<Paths extends {}, M extends LookupMethod, P extends PathsWithMethod<Paths, M>> = GatewaySpec & {
  // The id is checked one way or the other: at `idAt`, or by the gateway's own `check`.
  lookup: LookupDefinition<Paths, M, P> &
    (
      | { idAt: NonNullable<LookupDefinition<Paths, M, P>["idAt"]> }
      | { check: LookupDefinition<Paths, M, P>["check"] & {} }
    );
};

/**
 * Defines a gateway from its generated `paths`: `defineGateway<paths>()({ provider, ..., lookup })`. The
 * lookup's path, parameters and id field are checked against the spec, so a rename upstream fails the build.
 */
export function defineGateway<Paths extends {}>() {
  // Checked by the type; nothing to do at run time.
  return <M extends LookupMethod, P extends PathsWithMethod<Paths, M>>(input: DefinitionInput<Paths, M, P>) =>
    input as unknown as GatewayDefinition<LookupBody<Paths, M, P>, Paths>;
}

/** What is wrong with a lookup's answer for `id`, or undefined when it is the generation asked. */
export function checkLookupAnswer(
  lookup: Pick<Lookup, "idAt" | "check" | "rows">,
  id: string,
  body: unknown,
): string | undefined {
  if (lookup.rows) {
    if (!Array.isArray(body)) return "a body that is not an array of rows";
    if (body.length !== 1) return `${body.length} rows, not the one asked`;
    body = body[0];
  }
  const object = asObject(body);
  if (!object) return "a body that is not a JSON object";
  const wrong = lookup.check?.(object, id);
  if (wrong || !lookup.idAt) return wrong;
  // The id's holder, then the id: `data.id` is body.data.id, and `data` must be an object.
  let got: unknown = object;
  let walked = "";
  for (const name of lookup.idAt.split(".")) {
    const holder = asObject(got);
    if (!holder) return `no \`${walked}\` object`;
    got = holder[name];
    walked += walked ? `.${name}` : name;
  }
  if (typeof got !== "string") return `a \`${lookup.idAt}\` that is not a string`;
  return got === id ? undefined : `generation ${JSON.stringify(got)} when ${JSON.stringify(id)} was asked`;
}

/** `getGeneration(id, init)` over `gateway`: the definition's lookup, its answer checked against the id. */
export function lookupWith<Body>(gateway: Gateway, lookup: Lookup): (id: string, init?: CallOptions) => Promise<Body> {
  // Async, so that a bad id rejects rather than throws.
  return async (id, init) => {
    requireId(id);
    const { path, query, body } = lookup.request(id);
    return gateway.request<Body>(
      {
        method: lookup.method.toUpperCase() as "GET" | "POST",
        // Path parameters, each one URL segment.
        path: lookup.path.replace(/\{(\w+)\}/g, (_, name: string) =>
          pathSegment(String((path as Record<string, unknown>)[name]), name),
        ),
        query: query as GatewayRequest["query"],
        body,
        idempotent: lookup.idempotent,
        notFound: lookup.notFound,
        signal: init?.signal,
        deadline: init?.deadline,
      },
      (answer) => checkLookupAnswer(lookup, id, answer),
    );
  };
}

/** A gateway's lookup client. */
export interface LookupClient<Body> {
  /** The pace and the 429s met of this client's rate limiter. */
  rateLimit(): RateLimitState;
  /** One generation exactly as the gateway sent it, checked to be the one asked. */
  getGeneration(id: string, init?: CallOptions): Promise<Body>;
}

/** The client of a defined gateway. Throws InvalidArgumentError for a bad option. */
export function createLookupClient<Body>(
  definition: GatewayDefinition<Body>,
  options: GatewayClientOptions = {},
): LookupClient<Body> {
  const gateway = createGateway(definition, options);
  return { rateLimit: gateway.rateLimit, getGeneration: lookupWith<Body>(gateway, definition.lookup) };
}
