import fs from 'node:fs';
import { Session } from 'node:inspector/promises';
import path from 'node:path';

/** Where `--profile` runs leave their .cpuprofile files (open them in Chrome DevTools or summarise them). */
export const PROFILE_DIR = path.resolve(__dirname, '..', '..', 'profiles');

/**
 * Profiles this process (the in-process add-on) while `work` runs, and writes `<name>.cpuprofile`.
 * Only used with `--profile`: the profiler itself slows the measured run.
 */
export async function withCpuProfile<T>(name: string, work: () => Promise<T>): Promise<{ value: T; file: string }> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 200 });
  await session.post('Profiler.start');
  try {
    const value = await work();
    const { profile } = await session.post('Profiler.stop');
    fs.mkdirSync(PROFILE_DIR, { recursive: true });
    const file = path.join(PROFILE_DIR, `${name}.cpuprofile`);
    fs.writeFileSync(file, JSON.stringify(profile));
    return { value, file };
  } finally {
    session.disconnect();
  }
}
