import fs from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../../shared/project-root';
import { DESCRIPTOR_PATH } from './load-descriptor';
import { assertValidDescriptor, renderDescriptor, type Descriptor } from './render-descriptor';

/** The add-on's identity and installation settings: the descriptor before the modules add theirs. */
export type DescriptorTemplate = Record<string, unknown> & { key: string; name: string; capabilities?: Record<string, unknown> };

/** Who the add-on is, for an add-on that does not keep an atlassian-connect.json of its own. */
export interface AddonIdentity {
  key: string;
  name: string;
  description?: string;
  vendor?: { name: string; url: string };
}

/** The template of an add-on given by its identity: installable globally and per room, through this server's callbacks. */
export function templateFor(identity: AddonIdentity): DescriptorTemplate {
  return {
    key: identity.key,
    name: identity.name,
    description: identity.description ?? identity.name,
    ...(identity.vendor ? { vendor: identity.vendor } : {}),
    links: { self: DESCRIPTOR_PATH, homepage: '/' },
    apiVersion: '1:1',
    capabilities: {
      installable: { allowGlobal: true, allowRoom: true, callbackUrl: '/installable', updateCallbackUrl: '/installable/updated' },
      // The label HipChat shows on the add-on's messages: 25 characters at most is the safe length.
      hipchatApiConsumer: { scopes: [], fromName: identity.name.slice(0, 25) },
    },
  };
}

/** The built-in add-on's template: atlassian-connect.json at the project root. */
export function readDescriptorTemplate(file = path.join(projectRoot(), 'atlassian-connect.json')): DescriptorTemplate {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as DescriptorTemplate;
}

export function templateScopes(template: DescriptorTemplate): string[] {
  const consumer = template.capabilities?.hipchatApiConsumer as { scopes?: string[] } | undefined;
  return consumer?.scopes ?? [];
}

/**
 * The template plus what the modules contribute (lists appended, scopes merged), rendered for BASE_URL
 * and validated against HipChat's schema, so a broken module stops start-up rather than an install.
 */
export function composeDescriptor(template: DescriptorTemplate, scopes: string[], contributed: Record<string, unknown>, baseUrl: string): Descriptor {
  const capabilities: Record<string, unknown> = { ...(template.capabilities ?? {}) };
  for (const [name, value] of Object.entries(contributed)) {
    const own = capabilities[name];
    capabilities[name] = Array.isArray(own) && Array.isArray(value) ? [...(own as unknown[]), ...value] : value;
  }
  capabilities.hipchatApiConsumer = { ...((capabilities.hipchatApiConsumer as object | undefined) ?? {}), scopes };
  const descriptor = renderDescriptor({ ...template, capabilities }, baseUrl, baseUrl + DESCRIPTOR_PATH);
  assertValidDescriptor(descriptor);
  return descriptor;
}
