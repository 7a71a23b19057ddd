import { z } from 'zod';

/** Which of HipChat's endpoints a fault applies to; 'all' also covers the one-time installable documents. */
export const FAULT_TARGETS = ['capabilities', 'token', 'api', 'all'] as const;
export type FaultTarget = (typeof FAULT_TARGETS)[number];
/** What a request is, for matching: the three HipChat endpoint classes, or an installable document. */
export type RequestTarget = Exclude<FaultTarget, 'all'> | 'installable';

/** Headers of a canned answer, or (in process only) a function building them when the answer is sent. */
export type FaultHeaders = Record<string, string> | ((nowMs: number) => Record<string, string>);

const headersSchema = z.union([
  z.record(z.string().min(1), z.string()),
  z.custom<(nowMs: number) => Record<string, string>>((value) => typeof value === 'function', 'must be an object of strings'),
]);

export const faultSchema = z.discriminatedUnion('kind', [
  // body: any JSON (default: HipChat's error object for the status); null sends no body.
  z.object({ kind: z.literal('status'), status: z.number().int().min(100).max(599), body: z.unknown().optional(), headers: headersSchema.optional() }).strict(),
  z.object({ kind: z.literal('drop') }).strict(),
  z.object({ kind: z.literal('delay'), ms: z.number().int().min(0).max(120_000) }).strict(),
  z.object({ kind: z.literal('trickle'), intervalMs: z.number().int().min(1).max(60_000).optional() }).strict(),
]);

export const faultRuleSchema = z
  .object({
    target: z.enum(FAULT_TARGETS),
    match: z
      .object({
        method: z.string().regex(/^[A-Za-z]+$/).optional(),
        // Exact path (query excluded) or, in process, a RegExp tested against it.
        path: z.union([z.string().startsWith('/'), z.instanceof(RegExp)]).optional(),
      })
      .strict()
      .optional(),
    /** How many matching requests the fault applies to; unlimited when omitted. */
    times: z.number().int().min(1).optional(),
    fault: faultSchema,
  })
  .strict();

export type Fault = z.infer<typeof faultSchema>;
export type FaultRuleInput = z.input<typeof faultRuleSchema>;
export type FaultRule = z.infer<typeof faultRuleSchema> & { id: number; remaining: number | null };

/** Overrides of the capabilities document (as odd or hostile HipChats answered); unset fields keep the emulator's. */
export const capabilitiesOverridesSchema = z
  .object({
    self: z.string().optional(),
    tokenUrl: z.string().optional(),
    apiUrl: z.string().optional(),
    homepage: z.string().optional(),
  })
  .strict();
export type CapabilitiesOverrides = z.infer<typeof capabilitiesOverridesSchema>;

/** Overrides of the token endpoint's successful answers: another group_id, or none (as HipChat Server may). */
export const tokenAnswerOverridesSchema = z
  .object({ groupId: z.union([z.number().int().min(1), z.literal('omit')]).optional() })
  .strict();
export type TokenAnswerOverrides = z.infer<typeof tokenAnswerOverridesSchema>;

/** One line per problem, `field: message`, for the 400 answers and thrown errors. */
export function describeZodError(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`).join('; ');
}

export function ruleApplies(rule: FaultRule, target: RequestTarget, method: string, path: string): boolean {
  if (rule.target !== 'all' && rule.target !== target) return false;
  if (rule.match?.method !== undefined && rule.match.method.toUpperCase() !== method.toUpperCase()) return false;
  const wanted = rule.match?.path;
  if (wanted === undefined) return true;
  return typeof wanted === 'string' ? wanted === path : wanted.test(path);
}
