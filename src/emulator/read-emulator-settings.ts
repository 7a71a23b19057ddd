import { z } from 'zod';
import type { EmulatorOptions } from './emulator';
import { normalisePathPrefix } from './normalise-path-prefix';

const flag = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0'], { message: 'must be true or false' })
    .optional()
    .transform((raw) => (raw === undefined ? fallback : raw === 'true' || raw === '1'));

const settingsSchema = z.object({
  EMULATOR_PORT: z
    .string()
    .regex(/^\d{1,5}$/, 'must be a port number')
    .transform(Number)
    .refine((port) => port <= 65535, 'must be a port number')
    .default(4000),
  EMULATOR_HOST: z.string().min(1).default('127.0.0.1'),
  EMULATOR_PATH_PREFIX: z
    .string()
    .optional()
    .refine((prefix) => isPathPrefix(prefix), 'must be a path such as /hipchat'),
  // HipChat Cloud's shape: links.api without a trailing slash, hipchatApiProvider.url with one.
  EMULATOR_LINKS_API_TRAILING_SLASH: flag(false),
  EMULATOR_API_PROVIDER_TRAILING_SLASH: flag(true),
});

export type EmulatorSettings = Required<Pick<EmulatorOptions, 'port' | 'host' | 'pathPrefix' | 'apiUrlSlashes'>>;

/**
 * The settings of `npm run emulator` from the environment (the only place in src/emulator that reads it),
 * including the HipChat Server shapes: a path prefix and the trailing slashes of the two API URLs.
 * Throws one line naming the variable when a value is wrong.
 */
export function readEmulatorSettings(env: NodeJS.ProcessEnv): EmulatorSettings {
  const parsed = settingsSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const name = String(issue?.path[0] ?? 'environment');
    throw new Error(`${name} ${issue?.message ?? 'is invalid'}, got "${env[name] ?? ''}"`);
  }
  const settings = parsed.data;
  return {
    port: settings.EMULATOR_PORT,
    host: settings.EMULATOR_HOST,
    pathPrefix: normalisePathPrefix(settings.EMULATOR_PATH_PREFIX),
    apiUrlSlashes: { linksApi: settings.EMULATOR_LINKS_API_TRAILING_SLASH, hipchatApiProvider: settings.EMULATOR_API_PROVIDER_TRAILING_SLASH },
  };
}

function isPathPrefix(prefix: string | undefined): boolean {
  try {
    normalisePathPrefix(prefix);
    return true;
  } catch {
    return false;
  }
}
