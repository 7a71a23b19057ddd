import { schemaProblems } from './hipchat-schema';

export type Descriptor = Record<string, unknown> & {
  key: string;
  name: string;
  links: { self: string; homepage?: string };
  capabilities: Record<string, unknown>;
};

/** Keys whose string values are URLs: relative ones in the template become absolute under BASE_URL. */
const URL_KEY = /(^url$|Url$|^url@2x$|^homepage$|^self$)/;

/**
 * Renders the descriptor template for one BASE_URL: every relative URL becomes absolute, and
 * `links.self` is the URL the descriptor is served from. Pure; the template is not modified.
 */
export function renderDescriptor(template: unknown, baseUrl: string, selfUrl: string): Descriptor {
  const rendered = absolutise(template, baseUrl) as Descriptor;
  rendered.links = { ...rendered.links, self: selfUrl };
  return rendered;
}

function absolutise(value: unknown, baseUrl: string, key = ''): unknown {
  if (Array.isArray(value)) return value.map((item) => absolutise(item, baseUrl));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, absolutise(v, baseUrl, k)]));
  }
  if (typeof value === 'string' && URL_KEY.test(key) && value.startsWith('/')) return baseUrl + value;
  return value;
}

/** Checks a rendered descriptor the way HipChat did at install, so a broken template fails at start-up. */
export function assertValidDescriptor(descriptor: unknown): asserts descriptor is Descriptor {
  const problems = schemaProblems(descriptor);
  if (problems.length > 0) {
    throw new Error(`atlassian-connect.json does not match HipChat's descriptor schema: ${problems.join('; ')}`);
  }
}

/** The scopes the add-on asks for (hipchatApiConsumer.scopes), requested with every access token. */
export function descriptorScopes(descriptor: Descriptor): string[] {
  const consumer = descriptor.capabilities.hipchatApiConsumer as { scopes?: string[] } | undefined;
  return consumer?.scopes ?? [];
}
