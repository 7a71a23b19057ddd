import type { z } from 'zod';
import {
  capabilitiesOverridesSchema,
  describeZodError,
  faultRuleSchema,
  ruleApplies,
  tokenAnswerOverridesSchema,
  type CapabilitiesOverrides,
  type FaultRule,
  type FaultRuleInput,
  type RequestTarget,
  type TokenAnswerOverrides,
} from './fault-rule';
import { RequestLog } from './request-log';

/** Thrown for fault rules or overrides that do not validate; the control API answers it with 400. */
export class FaultInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FaultInputError';
  }
}

/**
 * Injected failures and odd answers of an emulator, and the log of what it received. Rules are tried
 * in the order added: delays apply and pass on, the first other matching rule answers the request.
 */
export class EmulatorFaults {
  readonly log = new RequestLog();
  private rules: FaultRule[] = [];
  private nextId = 1;
  private capabilities: CapabilitiesOverrides = {};
  private tokenAnswer: TokenAnswerOverrides = {};
  private trickling = 0;
  private mostTrickling = 0;

  /** Adds a rule; returns its remover. Throws FaultInputError on a rule that does not validate. */
  add(input: FaultRuleInput): () => void {
    const parsed = faultRuleSchema.safeParse(input);
    if (!parsed.success) throw new FaultInputError(describeZodError(parsed.error));
    const rule: FaultRule = { ...parsed.data, id: this.nextId++, remaining: parsed.data.times ?? null };
    this.rules.push(rule);
    return () => this.remove(rule.id);
  }

  remove(id: number): boolean {
    const before = this.rules.length;
    this.rules = this.rules.filter((rule) => rule.id !== id);
    return this.rules.length < before;
  }

  list(): FaultRule[] {
    return this.rules.map((rule) => ({ ...rule }));
  }

  /** Removes every rule and override (the request log stays: clearRequests empties it). */
  clear(): void {
    this.rules = [];
    this.capabilities = {};
    this.tokenAnswer = {};
  }

  /** Overrides these fields of the capabilities document (on top of earlier overrides) until clear(). */
  overrideCapabilities(overrides: CapabilitiesOverrides): void {
    this.capabilities = { ...this.capabilities, ...parseOrThrow(capabilitiesOverridesSchema, overrides) };
  }

  get capabilitiesOverrides(): CapabilitiesOverrides {
    return { ...this.capabilities };
  }

  /** Overrides the token endpoint's successful answers until clear(). */
  overrideTokenAnswer(overrides: TokenAnswerOverrides): void {
    this.tokenAnswer = parseOrThrow(tokenAnswerOverridesSchema, overrides);
  }

  get tokenAnswerOverrides(): TokenAnswerOverrides {
    return { ...this.tokenAnswer };
  }

  /** Answers being trickled now (the client has not hung up yet), and the most at once since start. */
  get openTrickles(): number {
    return this.trickling;
  }

  get mostOpenTrickles(): number {
    return this.mostTrickling;
  }

  /** The matching rules for one request, in order, each counted as used (spent rules are removed). */
  take(target: RequestTarget, method: string, path: string): FaultRule[] {
    const taken: FaultRule[] = [];
    for (const rule of this.rules) {
      if (!ruleApplies(rule, target, method, path)) continue;
      taken.push(rule);
      if (rule.remaining !== null) rule.remaining -= 1;
      if (rule.fault.kind !== 'delay') break;
    }
    this.rules = this.rules.filter((rule) => rule.remaining === null || rule.remaining > 0);
    return taken;
  }

  trickleStarted(): void {
    this.trickling += 1;
    this.mostTrickling = Math.max(this.mostTrickling, this.trickling);
  }

  trickleEnded(): void {
    this.trickling -= 1;
  }
}

function parseOrThrow<T>(schema: z.ZodType<T>, value: unknown): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new FaultInputError(describeZodError(parsed.error));
  return parsed.data;
}
