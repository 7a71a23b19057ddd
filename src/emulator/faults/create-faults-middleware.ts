import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { EmulatorContext } from '../emulator-context';
import { extractAccessToken } from '../http/authenticate-api-request';
import { parseBasicAuth } from '../http/create-oauth-router';
import { hipChatErrorBody } from '../http/hipchat-error';
import type { EmulatorFaults } from './emulator-faults';
import type { FaultRule, RequestTarget } from './fault-rule';
import { idsFromPath, type RecordedRequest } from './request-log';
import { overrideCapabilitiesDocument, overrideTokenAnswer, rewriteJson } from './apply-answer-overrides';

/** Which HipChat endpoint a path is; undefined for the control API and the web client, which are never faulted. */
export function classifyPath(path: string): RequestTarget | undefined {
  if (path.startsWith('/_emulator')) return undefined;
  if (path.startsWith('/_installable/')) return 'installable';
  if (/\/v2\/capabilities\/?$/.test(path)) return 'capabilities';
  if (/\/v2\/oauth\/token\/?$/.test(path)) return 'token';
  if (/\/v2(\/|$)/.test(path)) return 'api';
  return undefined;
}

function oauthIdOf(ctx: EmulatorContext, req: Request, target: RequestTarget): string | undefined {
  if (target === 'token') return parseBasicAuth(req.get('authorization'))?.id;
  const value = target === 'api' ? extractAccessToken(req) : undefined;
  const lookup = value === undefined ? undefined : ctx.tokens.lookup(value, ctx.now());
  return lookup?.ok ? lookup.token.oauthId : undefined;
}

function record(ctx: EmulatorContext, faults: EmulatorFaults, req: Request, res: Response, target: RequestTarget): RecordedRequest {
  const oauthId = oauthIdOf(ctx, req, target);
  const entry = faults.log.record({
    method: req.method,
    path: req.path,
    target,
    ...idsFromPath(req.path),
    ...(oauthId !== undefined ? { oauthId } : {}),
    body: undefined,
    status: 0,
    at: ctx.now(),
  });
  const settle = (): void => {
    entry.status = res.headersSent ? res.statusCode : 0;
    if (entry.fault === undefined || entry.fault === 'delay') entry.body = req.body as unknown;
  };
  res.once('finish', settle);
  res.once('close', settle);
  return entry;
}

function trickle(faults: EmulatorFaults, res: Response, intervalMs: number): void {
  faults.trickleStarted();
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100000' });
  res.write('{');
  const timer = setInterval(() => res.write(' '), intervalMs);
  res.once('close', () => {
    clearInterval(timer);
    faults.trickleEnded();
  });
}

function answer(faults: EmulatorFaults, req: Request, res: Response, rule: FaultRule, now: () => number): void {
  const fault = rule.fault;
  if (fault.kind === 'drop') return void req.socket.destroy();
  req.resume();
  if (fault.kind === 'trickle') return trickle(faults, res, fault.intervalMs ?? 100);
  if (fault.kind !== 'status') return;
  const headers = typeof fault.headers === 'function' ? fault.headers(now()) : fault.headers ?? {};
  res.status(fault.status).set(headers);
  const body = fault.body === undefined && fault.status >= 400 ? hipChatErrorBody(fault.status, 'Emulated failure') : fault.body;
  if (body === undefined || body === null) res.end();
  else res.json(body);
}

/**
 * The first middleware of the emulator's app: records every /v2 request, applies the answer overrides,
 * then the fault rules (delays pass on; a status, drop or trickle answers in place of the emulator).
 */
export function createFaultsMiddleware(ctx: EmulatorContext, faults: EmulatorFaults): RequestHandler {
  return (req: Request, res: Response, next: NextFunction): void => {
    const target = classifyPath(req.path);
    if (target === undefined) return next();
    const entry = target === 'installable' ? undefined : record(ctx, faults, req, res, target);
    const capabilities = faults.capabilitiesOverrides;
    if (target === 'capabilities' && Object.keys(capabilities).length > 0) rewriteJson(res, (doc) => overrideCapabilitiesDocument(doc, capabilities));
    const tokenAnswer = faults.tokenAnswerOverrides;
    if (target === 'token' && tokenAnswer.groupId !== undefined) rewriteJson(res, (body) => overrideTokenAnswer(body, tokenAnswer));
    const rules = faults.take(target, req.method, req.path);
    const delayMs = rules.reduce((sum, rule) => sum + (rule.fault.kind === 'delay' ? rule.fault.ms : 0), 0);
    const last = rules.at(-1);
    const terminal = last && last.fault.kind !== 'delay' ? last : undefined;
    if (entry && (terminal ?? last)) entry.fault = (terminal ?? last)?.fault.kind;
    const proceed = (): void => (terminal ? answer(faults, req, res, terminal, ctx.now) : next());
    if (delayMs > 0) setTimeout(proceed, delayMs);
    else proceed();
  };
}
