// Types of evaluate-conditions.js (plain JavaScript so the browser runs the same file the tests run).

export interface ConditionContext {
  room?: { privacy?: string; ownerId?: number | null };
  user?: { id: number; is_group_admin?: boolean; is_guest?: boolean };
  message?: { message?: string; from?: { kind: string; id?: number }; card?: Record<string, unknown> };
  glance?: { metadata?: Record<string, unknown> };
}

export function evaluateConditions(conditions: unknown, context: ConditionContext): boolean;
