import type { Response } from 'express';
import type { CapabilitiesOverrides, TokenAnswerOverrides } from './fault-rule';

type Json = Record<string, unknown>;

function object(value: unknown): Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : {};
}

/** The capabilities document with the overridden fields replaced (homepage also sets links.subdomain, as HipChat did). */
export function overrideCapabilitiesDocument(document: Json, overrides: CapabilitiesOverrides): Json {
  const links = { ...object(document.links) };
  const capabilities = { ...object(document.capabilities) };
  if (overrides.self !== undefined) links.self = overrides.self;
  if (overrides.homepage !== undefined) Object.assign(links, { homepage: overrides.homepage, subdomain: overrides.homepage });
  if (overrides.tokenUrl !== undefined) capabilities.oauth2Provider = { ...object(capabilities.oauth2Provider), tokenUrl: overrides.tokenUrl };
  if (overrides.apiUrl !== undefined) capabilities.hipchatApiProvider = { ...object(capabilities.hipchatApiProvider), url: overrides.apiUrl };
  return { ...document, links, capabilities };
}

/** A successful token answer with group_id replaced or left out. */
export function overrideTokenAnswer(answer: Json, overrides: TokenAnswerOverrides): Json {
  if (typeof answer.access_token !== 'string' || overrides.groupId === undefined) return answer;
  if (overrides.groupId !== 'omit') return { ...answer, group_id: overrides.groupId };
  const { group_id: _groupId, group_name: _groupName, ...rest } = answer;
  return rest;
}

/** Rewrites the JSON this response will send, without touching the router that builds it. */
export function rewriteJson(res: Response, rewrite: (body: Json) => Json): void {
  const json = res.json.bind(res);
  res.json = (body?: unknown) => json(typeof body === 'object' && body !== null && !Array.isArray(body) ? rewrite(body as Json) : body);
}
