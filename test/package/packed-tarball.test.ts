import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createConsumerProject, packProject, REPO } from './consumer-project';
import { mustRun } from './run-command';

/** The consumer's own jest run: not a worker of this one, and no database template of this repository's. */
function consumerEnv(): NodeJS.ProcessEnv {
  const { JEST_WORKER_ID: _worker, HC_PGLITE_TEMPLATE_DIR: _template, ...env } = process.env;
  return env;
}

/**
 * The package as someone else gets it: `npm pack`, installed into a project outside this repository,
 * whose test imports only the entry points (hipchat-connect-server, /emulator, /testing), type-checks
 * against the shipped declarations and passes.
 */
describe('the packed tarball', () => {
  let workDir: string;
  let consumer: string | undefined;
  beforeAll(() => {
    workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hipchat-connect-pack-'));
  });
  afterAll(() => {
    fs.rmSync(workDir, { recursive: true, force: true });
    if (consumer) fs.rmSync(consumer, { recursive: true, force: true });
  });

  it("installs outside the repository and runs an add-on's test written against its entry points", async () => {
    const tarball = await packProject(workDir);
    consumer = await createConsumerProject(tarball);
    const installed = path.join(consumer, 'node_modules', 'hipchat-connect-server');
    expect(fs.existsSync(path.join(installed, 'dist', 'testing', 'index.d.ts'))).toBe(true);
    expect(fs.existsSync(path.join(installed, 'src', 'index.ts'))).toBe(false);
    // Nothing compiled from a source that no longer exists (a build starts from an empty dist/).
    const compiled = fs.readdirSync(path.join(installed, 'dist'), { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.js'));
    expect(compiled.length).toBeGreaterThan(50);
    const hasSource = (file: string) => ['.ts', '.js'].some((ext) => fs.existsSync(path.join(REPO, 'src', file.replace(/\.js$/, ext))));
    expect(compiled.filter((file) => !hasSource(file))).toEqual([]);

    const node = process.execPath;
    const [typecheck, tests] = await Promise.allSettled([
      mustRun(node, [path.join(REPO, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'], { cwd: consumer }),
      mustRun(node, [path.join(REPO, 'node_modules', 'jest', 'bin', 'jest.js'), '--config', 'jest.config.json', '--ci'], {
        cwd: consumer,
        env: consumerEnv(),
      }),
    ]);
    if (typecheck.status === 'rejected') throw typecheck.reason;
    if (tests.status === 'rejected') throw tests.reason;
    expect(tests.value).toMatch(/Tests:\s+3 passed, 3 total/);
  }, 600_000);
});
