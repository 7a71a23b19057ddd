import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import rawSchema from './addon-capabilities.schema.json';
import { normaliseDraft03Schema, type Json } from './normalise-draft03-schema';
import { isScope, type AddonDescriptor } from '../model/types';

let compiled: ValidateFunction | undefined;

function schemaValidator(): ValidateFunction {
  if (!compiled) {
    // unicodeRegExp off: the schema's patterns use escapes such as `\:` that are invalid with the `u` flag.
    const ajv = new Ajv({ strict: false, allErrors: true, unicodeRegExp: false });
    compiled = ajv.compile(normaliseDraft03Schema(rawSchema as unknown as Json) as object);
  }
  return compiled;
}

export type DescriptorValidation = { ok: true; descriptor: AddonDescriptor } | { ok: false; errors: string[] };

const MODULE_KEY = /^[A-Za-z0-9_.-]{1,40}$/;
const KEYED_MODULES = ['webhook', 'glance', 'webPanel', 'dialog', 'action', 'externalPage'] as const;

function formatAjvError(error: ErrorObject): string {
  const where = error.instancePath || '(descriptor)';
  if (error.keyword === 'required') return `${where}: missing required property "${String(error.params.missingProperty)}"`;
  if (error.keyword === 'enum') return `${where}: must be one of ${JSON.stringify(error.params.allowedValues)}`;
  return `${where}: ${error.message ?? 'is invalid'}`;
}

function isAbsoluteHttpUrl(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** Every URL-valued field HipChat would open or call, with its JSON path. */
function collectUrls(descriptor: Record<string, unknown>): Array<[string, unknown]> {
  const urls: Array<[string, unknown]> = [];
  const links = asRecord(descriptor.links);
  urls.push(['/links/self', links?.self]);
  if (links?.homepage !== undefined) urls.push(['/links/homepage', links.homepage]);
  const caps = asRecord(descriptor.capabilities) ?? {};
  const installable = asRecord(caps.installable) ?? {};
  for (const field of ['callbackUrl', 'updateCallbackUrl', 'installedUrl', 'updatedUrl', 'uninstalledUrl']) {
    if (installable[field] !== undefined) urls.push([`/capabilities/installable/${field}`, installable[field]]);
  }
  const moduleUrlFields: Record<string, string[]> = { webhook: ['url'], glance: ['queryUrl'], webPanel: ['url'], dialog: ['url'], externalPage: ['url'] };
  for (const [module, fields] of Object.entries(moduleUrlFields)) {
    asArray(caps[module]).forEach((entry, index) => {
      const record = asRecord(entry) ?? {};
      for (const field of fields) if (record[field] !== undefined) urls.push([`/capabilities/${module}/${index}/${field}`, record[field]]);
      const icon = asRecord(record.icon);
      if (icon) for (const field of ['url', 'url@2x']) if (icon[field] !== undefined) urls.push([`/capabilities/${module}/${index}/icon/${field}`, icon[field]]);
    });
  }
  for (const single of ['configurable', 'adminPage']) {
    const record = asRecord(caps[single]);
    if (record?.url !== undefined) urls.push([`/capabilities/${single}/url`, record.url]);
  }
  return urls;
}

function displayName(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  const record = asRecord(value);
  return typeof record?.value === 'string' ? record.value : undefined;
}

/** The protocol rules the schema does not express (see HIPCHAT-PROTOCOL.md §1–2). */
function protocolRuleErrors(descriptor: Record<string, unknown>): string[] {
  const errors: string[] = [];
  for (const [path, value] of collectUrls(descriptor)) {
    if (!isAbsoluteHttpUrl(value)) errors.push(`${path}: must be an absolute http(s) URL`);
  }
  const caps = asRecord(descriptor.capabilities) ?? {};
  const installable = asRecord(caps.installable);
  if (!installable) errors.push('/capabilities/installable: missing (HipChat cannot install the add-on)');
  else if (installable.callbackUrl === undefined && installable.installedUrl === undefined) {
    errors.push('/capabilities/installable: needs a callbackUrl (or installedUrl for the browser flow)');
  }
  const consumer = asRecord(caps.hipchatApiConsumer);
  asArray(consumer?.scopes).forEach((scope, index) => {
    if (!isScope(scope)) errors.push(`/capabilities/hipchatApiConsumer/scopes/${index}: unknown scope ${JSON.stringify(scope)}`);
  });
  const declaredKeys = new Set<string>();
  for (const module of KEYED_MODULES) {
    const seen = new Set<string>();
    asArray(caps[module]).forEach((entry, index) => {
      const record = asRecord(entry) ?? {};
      const key = record.key;
      if (key !== undefined || module !== 'webhook') {
        if (typeof key !== 'string' || !MODULE_KEY.test(key)) errors.push(`/capabilities/${module}/${index}/key: must be 1–40 characters of [A-Za-z0-9_.-]`);
        else if (seen.has(key)) errors.push(`/capabilities/${module}/${index}/key: duplicate key "${key}"`);
        else seen.add(key);
        if (typeof key === 'string') declaredKeys.add(key);
      }
      const name = displayName(record.name ?? record.title);
      if ((record.name !== undefined || record.title !== undefined) && (name === undefined || name.length < 1 || name.length > 100)) {
        errors.push(`/capabilities/${module}/${index}/name: display name must be 1–100 characters`);
      }
      if (module === 'webhook' && typeof record.pattern === 'string') {
        try {
          new RegExp(record.pattern);
        } catch {
          errors.push(`/capabilities/webhook/${index}/pattern: not a valid regular expression`);
        }
      }
    });
  }
  // Glance and action targets must name a module the descriptor declares (safer than HipChat's silence).
  for (const module of ['glance', 'action'] as const) {
    asArray(caps[module]).forEach((entry, index) => {
      const target = asRecord(entry)?.target;
      const key = typeof target === 'string' ? target : asRecord(target)?.key;
      if (typeof key === 'string' && !declaredKeys.has(key)) errors.push(`/capabilities/${module}/${index}/target: no module with key "${key}"`);
    });
  }
  return errors;
}

/** Validates a fetched descriptor against HipChat's schema and the protocol rules. Pure. */
export function validateDescriptor(candidate: unknown): DescriptorValidation {
  const record = asRecord(candidate);
  if (!record) return { ok: false, errors: ['(descriptor): must be a JSON object'] };
  const validate = schemaValidator();
  const errors = validate(record) ? [] : (validate.errors ?? []).map(formatAjvError);
  errors.push(...protocolRuleErrors(record));
  if (errors.length > 0) return { ok: false, errors: [...new Set(errors)] };
  return { ok: true, descriptor: record as unknown as AddonDescriptor };
}
