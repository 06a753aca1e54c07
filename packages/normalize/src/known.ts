// Typed reading of a gateway body. The generated types keep undocumented keys behind an index
// signature (`[key: string]: unknown`), under which any field name compiles; `Known<T>` drops it,
// so a mapper reading a field the spec no longer declares (renamed upstream) fails to type-check.
import { obj } from "./convert.js";

/** The fields a generated type declares, without its index signature. */
export type Known<T> = {
  [K in keyof T as string extends K ? never : number extends K ? never : K]: T[K];
};

/**
 * `value` read through the declared fields of `T`. Nothing is checked here: every field may be
 * missing or of the wrong type at run time, and is converted where it is read.
 */
export function known<T>(value: unknown): Partial<Known<NonNullable<T>>> {
  return (obj(value) ?? {}) as Partial<Known<NonNullable<T>>>;
}
