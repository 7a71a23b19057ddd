// Builds dist/ (tsc, then the assets) only when a source is newer than the last build, so that a second
// `npm start` with nothing changed starts at once. `npm run build` always builds.
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const STAMP = path.join(root, 'dist', '.build-stamp');
// Directories count too: a deleted or renamed file changes its directory's mtime.
const INPUTS = ['src', 'tsconfig.json', 'tsconfig.build.json', 'package.json', 'scripts/copy-assets.js'];

function newestMtime(file) {
  const stat = fs.statSync(file, { throwIfNoEntry: false });
  if (!stat) return 0;
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of fs.readdirSync(file)) newest = Math.max(newest, newestMtime(path.join(file, entry)));
  return newest;
}

function isStale() {
  const built = fs.statSync(STAMP, { throwIfNoEntry: false });
  if (!built) return true;
  return INPUTS.some((input) => newestMtime(path.join(root, input)) > built.mtimeMs);
}

function run(script, args) {
  const result = spawnSync(process.execPath, [script, ...args], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

function build() {
  const started = Date.now();
  process.stderr.write('Building dist/ (TypeScript) …\n');
  // Stamped before compiling: a source saved during the build is newer than the stamp and builds next time.
  const stampTime = new Date();
  // From empty: tsc never deletes the output of a source that was deleted or moved, and npm pack would ship it.
  fs.rmSync(path.join(root, 'dist'), { recursive: true, force: true });
  run(require.resolve('typescript/bin/tsc'), ['-p', 'tsconfig.build.json']);
  run(path.join(root, 'scripts', 'copy-assets.js'), []);
  fs.writeFileSync(STAMP, '');
  fs.utimesSync(STAMP, stampTime, stampTime);
  process.stderr.write(`Built in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
}

if (process.argv.includes('--force') || isStale()) build();
