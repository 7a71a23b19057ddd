type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function isObject(value: Json | undefined): value is { [key: string]: Json } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * HipChat's descriptor schema is draft-03 flavoured, which Ajv 8 does not read. This pure function
 * rewrites it into something Ajv can compile, recursively:
 * - `type: [schema | "name", …]` (draft-03 union types) → `anyOf: [schema | {type: "name"}, …]`;
 *   a plain list of type names stays as it is (still valid in later drafts);
 * - `minLength` on an array schema (a slip in HipChat's schema: `conditions`, `secondaryActions`) →
 *   `minItems`, which is what it clearly meant; the emulator chooses to be strict here.
 * Property maps are walked by value so a property literally named `type` is never rewritten.
 */
export function normaliseDraft03Schema(schema: Json): Json {
  if (Array.isArray(schema)) return schema.map(normaliseDraft03Schema);
  if (!isObject(schema)) return schema;
  const out: { [key: string]: Json } = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'properties' || key === 'patternProperties' || key === 'definitions') {
      out[key] = isObject(value)
        ? Object.fromEntries(Object.entries(value).map(([name, sub]) => [name, normaliseDraft03Schema(sub)]))
        : value;
    } else if (key === 'type' && Array.isArray(value) && value.some((entry) => typeof entry !== 'string')) {
      const alternatives = value.map((entry) => (typeof entry === 'string' ? { type: entry } : normaliseDraft03Schema(entry)));
      out.anyOf = isObject(out.anyOf) || Array.isArray(out.anyOf) ? out.anyOf : alternatives;
    } else {
      out[key] = normaliseDraft03Schema(value);
    }
  }
  if (out.type === 'array' && typeof out.minLength === 'number') {
    out.minItems = out.minLength;
    delete out.minLength;
  }
  return out;
}

export type { Json };
