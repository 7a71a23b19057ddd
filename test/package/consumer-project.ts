import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { mustRun, runCommand } from './run-command';

export const REPO = path.resolve(__dirname, '../..');
const FIXTURE = path.join(__dirname, 'fixture');

/** Settings `npm test` passes down that still hold outside this repository (where the cache and registry are). */
const KEPT_NPM_SETTINGS = /^npm_config_(cache|userconfig|globalconfig|cafile|registry|proxy|https_proxy|noproxy)$/i;

/** npm without the rest of what `npm test` passes down (e.g. npm_config_local_prefix names this repository). */
function npmEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key) || KEPT_NPM_SETTINGS.test(key)));
}

/** `npm pack` of this repository into `dir` (prepack builds dist/ if stale); returns the tarball's path. */
export async function packProject(dir: string): Promise<string> {
  const output = await mustRun('npm', ['pack', '--json', '--pack-destination', dir], { cwd: REPO, env: npmEnv() });
  const [packed] = JSON.parse(output.slice(output.indexOf('['))) as Array<{ filename: string }>;
  if (!packed) throw new Error(`npm pack printed no file:\n${output}`);
  return path.join(dir, packed.filename);
}

/**
 * A new project outside the repository with the tarball installed as a dependency. Dependencies come
 * from the npm cache (`npm ci` filled it); only if the cache lacks a package's metadata is the registry asked.
 */
export async function createConsumerProject(tarball: string): Promise<string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hipchat-connect-consumer-'));
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'my-addon', version: '1.0.0', private: true }));
  const install = (mode: string) =>
    runCommand('npm', ['install', mode, '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error', tarball], { cwd: dir, env: npmEnv() });
  const offline = await install('--offline');
  if (offline.code !== 0) {
    const online = await install('--prefer-offline');
    if (online.code !== 0) throw new Error(`npm install of ${tarball} failed:\n${offline.output}\n${online.output}`);
  }
  fs.cpSync(FIXTURE, path.join(dir, 'test'), { recursive: true });
  writeConfigs(dir);
  return dir;
}

/** jest and TypeScript as a user sets them up, borrowed from this repository's node_modules. */
function writeConfigs(dir: string): void {
  const jestConfig = {
    rootDir: dir,
    testEnvironment: 'node',
    testMatch: ['<rootDir>/test/**/*.spec.ts'],
    transform: { '^.+\\.ts$': [require.resolve('@swc/jest')] },
    // Building the database template takes seconds alone, and far longer on a busy CI machine.
    testTimeout: 180_000,
  };
  fs.writeFileSync(path.join(dir, 'jest.config.json'), JSON.stringify(jestConfig));
  const tsconfig = {
    compilerOptions: {
      target: 'ES2022',
      module: 'node16',
      moduleResolution: 'node16',
      strict: true,
      noEmit: true,
      skipLibCheck: true,
      typeRoots: [path.join(REPO, 'node_modules', '@types')],
      types: ['jest', 'node'],
    },
    include: ['test'],
  };
  fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify(tsconfig));
}
