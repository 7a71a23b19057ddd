import fs from 'node:fs';
import path from 'node:path';
import Ajv, { type ValidateFunction } from 'ajv';
import { projectRoot } from '../../shared/project-root';

type Json = unknown;

/**
 * HipChat's published descriptor schema is draft-03 flavoured: a `type` may be a list of sub-schemas
 * (a union). Ajv speaks draft-07, so such a `type` becomes `anyOf`; nothing else changes.
 */
export function toDraft07(schema: Json): Json {
  if (Array.isArray(schema)) return schema.map(toDraft07);
  if (schema === null || typeof schema !== 'object') return schema;
  const out: Record<string, Json> = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'type' && Array.isArray(value) && value.some((t) => typeof t === 'object')) {
      out.anyOf = value.map((t) => (typeof t === 'string' ? { type: t } : toDraft07(t)));
    } else {
      out[key] = toDraft07(value);
    }
  }
  return out;
}

/** Where the schema lives: shipped in the project so the server does not depend on the workspace layout. */
export const HIPCHAT_SCHEMA_PATH = path.join(projectRoot(), 'src', 'hipchat', 'descriptor', 'addon-capabilities.schema.json');

let compiled: ValidateFunction | undefined;

/** Validates a descriptor against HipChat's own schema; returns readable problems, empty when valid. */
export function schemaProblems(descriptor: Json): string[] {
  compiled ??= new Ajv({ strict: false, allErrors: true, unicodeRegExp: false }).compile(
    toDraft07(JSON.parse(fs.readFileSync(HIPCHAT_SCHEMA_PATH, 'utf8'))) as object,
  );
  if (compiled(descriptor)) return [];
  return (compiled.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? 'is invalid'}`);
}
