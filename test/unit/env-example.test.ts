import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(__dirname, '../..');

describe('.env.example', () => {
  it('documents every environment variable src/config.ts reads', () => {
    const source = fs.readFileSync(path.join(root, 'src/config.ts'), 'utf8');
    const read = [...source.matchAll(/read\w*\(env, '([A-Z_]+)'/g)].map((m) => m[1]);
    const example = fs.readFileSync(path.join(root, '.env.example'), 'utf8');
    expect(read.length).toBeGreaterThan(10);
    const missing = read.filter((name) => !new RegExp(`^#? ?${name}=`, 'm').test(example));
    expect(missing).toEqual([]);
  });
});
