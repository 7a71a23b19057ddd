// Copies the non-TypeScript files the compiled server reads at run time (SQL migrations, static assets) into
// dist/, or into the compiled src/ the first argument names (the benchmark's dist-bench/src).
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const outDir = path.resolve(root, process.argv[2] ?? 'dist');
const assetDirs = ['store/migrations', 'emulator/web/static', 'addon/static', 'addon/migrations', 'gateway/migrations', 'examples/standup/migrations'];
for (const dir of assetDirs) {
  const from = path.join(root, 'src', dir);
  const to = path.join(outDir, dir);
  // Replaced, not merged: a file moved or removed in src (e.g. a migration) must not linger in dist.
  fs.rmSync(to, { recursive: true, force: true });
  if (fs.existsSync(from)) fs.cpSync(from, to, { recursive: true });
}
