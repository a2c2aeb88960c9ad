// Walks the scenario schema along a key path, as the file's data takes it: through defaults and
// optionals, into mappings and lists, and into the option of a `kind`-selected union that the data
// names. The loader uses it to list the keys allowed where an unknown key was found, and to check
// `--set` paths before applying them.

import * as z from './zod.js';

export type KeyPath = readonly (string | number)[];

/** The schema inside any default / optional wrappers. */
function unwrap(schema: z.ZodType): z.ZodType {
  let inner = schema;
  while (inner instanceof z.ZodDefault || inner instanceof z.ZodOptional) inner = inner.unwrap() as z.ZodType;
  return inner;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The literal values an option of a discriminated union takes for its discriminator. */
function discriminatorValues(option: z.ZodObject, discriminator: string): readonly unknown[] {
  const field = option.shape[discriminator];
  return field instanceof z.ZodLiteral ? [...field.values] : [];
}

/** The mapping schemas a value may be: one for a plain mapping, the chosen option (or all) for a union. */
function mappingOptions(schema: z.ZodType, data: unknown): readonly z.ZodObject[] {
  if (schema instanceof z.ZodObject) return [schema];
  if (!(schema instanceof z.ZodDiscriminatedUnion)) return [];
  const discriminator = schema.def.discriminator;
  const options = schema.options
    .map((option) => unwrap(option as z.ZodType))
    .filter((option): option is z.ZodObject => option instanceof z.ZodObject);
  const chosen = isRecord(data)
    ? options.filter((option) => discriminatorValues(option, discriminator).includes(data[discriminator]))
    : [];
  return chosen.length > 0 ? chosen : options;
}

/** The keys allowed in the mapping `data` described by `schema` (in schema order), or undefined if it is no mapping. */
export function allowedKeys(schema: z.ZodType, data: unknown): readonly string[] | undefined {
  const options = mappingOptions(unwrap(schema), data);
  if (options.length === 0) return undefined;
  return [...new Set(options.flatMap((option) => Object.keys(option.shape)))];
}

/** What one step along a path finds: the schema of the child, or why there is none. */
export type Step =
  | { readonly ok: true; readonly schema: z.ZodType; readonly key: string | number }
  | { readonly ok: false; readonly reason: 'unknownKey'; readonly allowed: readonly string[] }
  | { readonly ok: false; readonly reason: 'badIndex'; readonly length: number }
  | { readonly ok: false; readonly reason: 'notACollection' };

/** One step from `schema` (describing `data`) to its child `segment`; list indices must exist in `data`. */
export function stepInto(schema: z.ZodType, data: unknown, segment: string): Step {
  const inner = unwrap(schema);
  if (inner instanceof z.ZodArray) {
    const length = Array.isArray(data) ? data.length : 0;
    const index = /^[0-9]+$/.test(segment) ? Number(segment) : -1;
    if (index < 0 || index >= length) return { ok: false, reason: 'badIndex', length };
    return { ok: true, schema: inner.element as z.ZodType, key: index };
  }
  const options = mappingOptions(inner, data);
  if (options.length === 0) return { ok: false, reason: 'notACollection' };
  const owner = options.find((option) => Object.hasOwn(option.shape, segment));
  if (!owner) return { ok: false, reason: 'unknownKey', allowed: allowedKeys(inner, data) ?? [] };
  return { ok: true, schema: owner.shape[segment] as z.ZodType, key: segment };
}

/** The schema of the value at `path` in `data`, or undefined where the path leaves the schema. */
export function schemaAt(root: z.ZodType, path: KeyPath, data: unknown): z.ZodType | undefined {
  let schema = root;
  let value = data;
  for (const segment of path) {
    const step = stepInto(schema, value, String(segment));
    if (!step.ok) return undefined;
    schema = step.schema;
    value = Array.isArray(value) || isRecord(value) ? (value as Record<string | number, unknown>)[step.key] : undefined;
  }
  return schema;
}
