import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');

/** The node flags before dist/server.js in a command line, or undefined when it does not run the server. */
function flagsBeforeServer(command: string): string[] | undefined {
  return /\bnode((?:\s+--\S+)*)\s+dist\/server\.js/.exec(command)?.[1]?.trim().split(/\s+/).filter(Boolean);
}

describe("the server's node flags", () => {
  it('are the same for npm start and the Docker image, and set the young generation to 16 MB semi-spaces (stated, so npm start and the image cannot drift; see docs/benchmarks.md)', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    const cmd = /^CMD (\[.*\])$/m.exec(fs.readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8'))?.[1];
    const docker = (JSON.parse(cmd ?? '[]') as string[]).join(' ');
    expect(flagsBeforeServer(pkg.scripts.start ?? '')).toEqual(['--max-semi-space-size=16']);
    expect(flagsBeforeServer(docker)).toEqual(flagsBeforeServer(pkg.scripts.start ?? ''));
  });
});
