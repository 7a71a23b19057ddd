import { Router } from 'express';
import { secretMatches } from '../http/require-bearer';
import type { Db } from '../store/db';
import { pendingMigrations } from '../store/migrate';
import { pendingModuleMigrations, type ModuleMigrationSet } from '../store/module-migrations';
import { HttpError, unauthorized } from '../shared/errors';
import type { Metrics } from './metrics';

/** A part of the service readiness depends on, e.g. the outbox worker. */
export interface ReadinessCheck {
  name: string;
  check(): Promise<string | undefined> | string | undefined; // a problem, or undefined when ready
}

export interface OpsDeps {
  db: Db;
  metrics: Metrics;
  metricsToken: string | undefined;
  /** In production /metrics is served only with a METRICS_TOKEN (it tells an attacker what runs and how busy it is). */
  production: boolean;
  readinessChecks: ReadinessCheck[];
  /** The modules' migration folders: each of their migrations must be recorded too. */
  moduleMigrations: readonly ModuleMigrationSet[];
}

const DB_CHECK_TIMEOUT_MS = 2000;

/** /healthz (process alive), /readyz (database, migrations, workers), /metrics (Prometheus). */
export function opsRoutes(deps: OpsDeps): Router {
  const router = Router();

  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });

  router.get('/readyz', async (_req, res) => {
    const problems = await readinessProblems(deps);
    const status = problems.length === 0 ? 'ready' : 'not_ready';
    res.status(problems.length === 0 ? 200 : 503).json({ status, problems });
  });

  router.get('/metrics', async (req, res) => {
    const access = metricsAccess(deps);
    if (access === 'disabled') {
      throw new HttpError(403, 'metrics_disabled', '/metrics is not served in production until METRICS_TOKEN is set');
    }
    const given = req.get('authorization')?.replace(/^Bearer\s+/i, '') ?? '';
    if (deps.metricsToken && !secretMatches(given, deps.metricsToken)) {
      throw unauthorized('A valid METRICS_TOKEN bearer token is required', 'metrics_token_required');
    }
    res.type(deps.metrics.registry.contentType).send(await deps.metrics.scrape());
  });

  return router;
}

/** Who may read /metrics: anyone (development, no token), bearers of METRICS_TOKEN, or nobody (production, no token). */
export function metricsAccess(deps: Pick<OpsDeps, 'metricsToken' | 'production'>): 'open' | 'token' | 'disabled' {
  if (deps.metricsToken) return 'token';
  return deps.production ? 'disabled' : 'open';
}

async function readinessProblems(deps: OpsDeps): Promise<Array<{ component: string; problem: string }>> {
  const problems: Array<{ component: string; problem: string }> = [];
  try {
    const pending = await withTimeout(migrationsNotApplied(deps), DB_CHECK_TIMEOUT_MS);
    if (pending.length > 0) problems.push({ component: 'migrations', problem: `not applied: ${pending.join(', ')}` });
  } catch (error) {
    problems.push({ component: 'database', problem: `unreachable: ${(error as Error).message}` });
  }
  for (const readiness of deps.readinessChecks) {
    const problem = await readiness.check();
    if (problem) problems.push({ component: readiness.name, problem });
  }
  return problems;
}

/** The core's versions, then "module/version" of the modules', that the database has not recorded. */
async function migrationsNotApplied(deps: OpsDeps): Promise<string[]> {
  return [...(await pendingMigrations(deps.db)), ...(await pendingModuleMigrations(deps.db, deps.moduleMigrations))];
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
