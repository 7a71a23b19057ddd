import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT } from './spawn-addon';

/** The peer and the Express 4 it runs on, as the issue names them. */
export const PEER_PACKAGES = ['atlassian-connect-express-hipchat@0.3.9', 'atlassian-connect-express@1.0.14', 'express@4'];

export interface PeerInstall {
  /** The folder holding node_modules (cached between runs). */
  root: string;
  /** A fresh copy of bench/peer (the peer add-on's files), next to the peer's node_modules. */
  appDir: string;
  /** Express 4 from the peer's folder, for the bare Express 4 route. */
  express4: string;
  /** Installed versions, as their package.json files say. */
  versions: Record<string, string>;
}

/** Under the OS temporary directory, never in the project's dependencies; named after the package set. */
export function peerRoot(): string {
  return path.join(os.tmpdir(), `hipchat-connect-bench-peer-${PEER_PACKAGES.join('_').replace(/[^A-Za-z0-9.@_-]/g, '-')}`);
}

function installedVersion(root: string, name: string): string | undefined {
  try {
    return (JSON.parse(fs.readFileSync(path.join(root, 'node_modules', name, 'package.json'), 'utf8')) as { version?: string }).version;
  } catch {
    return undefined;
  }
}

/**
 * Installs the peer on first use (`npm install --ignore-scripts --no-save --prefix <folder>`), reuses the
 * folder afterwards. A marker written after a complete install makes an interrupted one start again.
 */
export function ensurePeerInstalled(log: (message: string) => void): PeerInstall {
  const root = peerRoot();
  const marker = path.join(root, 'installed.json');
  if (!fs.existsSync(marker)) {
    log(`installing ${PEER_PACKAGES.join(', ')} into ${root} (install scripts off; first use only)`);
    fs.rmSync(root, { recursive: true, force: true });
    fs.mkdirSync(root, { recursive: true });
    fs.writeFileSync(path.join(root, 'package.json'), JSON.stringify({ name: 'hipchat-connect-bench-peer', private: true }, null, 2));
    // `npm run bench` exports npm_config_* (the project's prefix among them): the install must not see them.
    const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.toLowerCase().startsWith('npm_')));
    const started = Date.now();
    execFileSync(
      'npm',
      ['install', '--ignore-scripts', '--no-save', '--no-audit', '--no-fund', '--no-package-lock', '--prefix', root, ...PEER_PACKAGES],
      { cwd: root, env, stdio: ['ignore', 'ignore', 'inherit'] },
    );
    fs.writeFileSync(marker, JSON.stringify({ packages: PEER_PACKAGES, at: new Date().toISOString() }, null, 2));
    log(`peer installed in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
  const versions: Record<string, string> = {};
  for (const name of ['atlassian-connect-express-hipchat', 'atlassian-connect-express', 'express']) {
    const version = installedVersion(root, name);
    if (!version) throw new Error(`${name} missing from ${root}; delete the folder to reinstall`);
    versions[name] = version;
  }
  const appDir = path.join(root, 'app');
  fs.rmSync(appDir, { recursive: true, force: true });
  fs.cpSync(path.join(PROJECT_ROOT, 'bench', 'peer'), appDir, { recursive: true });
  return { root, appDir, express4: path.join(root, 'node_modules', 'express'), versions };
}
