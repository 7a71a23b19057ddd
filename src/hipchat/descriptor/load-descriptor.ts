import fs from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../../shared/project-root';
import { assertValidDescriptor, renderDescriptor, type Descriptor } from './render-descriptor';

export const DESCRIPTOR_PATH = '/atlassian-connect.json';

/** Reads the top-level atlassian-connect.json template, renders it for baseUrl and validates it. */
export function loadDescriptor(baseUrl: string, file = path.join(projectRoot(), 'atlassian-connect.json')): Descriptor {
  const template: unknown = JSON.parse(fs.readFileSync(file, 'utf8'));
  const descriptor = renderDescriptor(template, baseUrl, baseUrl + DESCRIPTOR_PATH);
  assertValidDescriptor(descriptor);
  return descriptor;
}
