import fs from 'node:fs';
import path from 'node:path';

interface ProfileNode {
  id: number;
  children?: number[];
  callFrame: { functionName: string; url: string; lineNumber: number };
}

export interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

export interface SelfTime {
  name: string;
  ms: number;
  share: number;
}

const ROOT = path.resolve(__dirname, '..', '..', '..');

/** Where a frame's code lives: a package name, a project path, or a Node/V8 category. */
export function frameOwner(url: string): string {
  if (!url) return '(native / V8)';
  const file = url.replace(/^file:\/\//, '');
  const modules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file);
  if (modules) return modules[1] as string;
  if (file.startsWith('node:')) return file;
  return path.relative(ROOT, file).replace(/^dist-bench\//, '').replace(/\.js$/, '.ts');
}

function frameName(node: ProfileNode): string {
  const { functionName, url, lineNumber } = node.callFrame;
  const owner = frameOwner(url);
  return `${functionName || '(anonymous)'} ${url ? `${owner}:${lineNumber + 1}` : owner}`;
}

/** Self time per function (samples attributed to the frame on top of the stack), largest first. */
export function selfTimes(profile: CpuProfile, groupBy: (node: ProfileNode) => string = frameName): SelfTime[] {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const totals = new Map<string, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  let all = 0;
  for (let i = 0; i < samples.length; i += 1) {
    const node = byId.get(samples[i] as number);
    const us = deltas[i + 1] ?? 0;
    if (!node) continue;
    const key = groupBy(node);
    totals.set(key, (totals.get(key) ?? 0) + us);
    all += us;
  }
  return [...totals.entries()]
    .map(([name, us]) => ({ name, ms: us / 1000, share: all > 0 ? us / all : 0 }))
    .sort((a, b) => b.ms - a.ms);
}

/**
 * Inclusive (total) time of the functions whose frames `include` accepts: each sample counts once
 * for every distinct such function on its stack. Shows what a middleware costs with all it calls.
 */
export function totalTimes(profile: CpuProfile, include: (node: ProfileNode) => boolean): SelfTime[] {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const totals = new Map<string, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  let all = 0;
  for (let i = 0; i < samples.length; i += 1) {
    const us = deltas[i + 1] ?? 0;
    all += us;
    const seen = new Set<string>();
    for (let id: number | undefined = samples[i]; id !== undefined; id = parent.get(id)) {
      const node = byId.get(id);
      if (!node || !include(node)) continue;
      const key = frameName(node);
      if (seen.has(key)) continue;
      seen.add(key);
      totals.set(key, (totals.get(key) ?? 0) + us);
    }
  }
  return [...totals.entries()]
    .map(([name, us]) => ({ name, ms: us / 1000, share: all > 0 ? us / all : 0 }))
    .sort((a, b) => b.ms - a.ms);
}

/** A readable summary: top functions by self time, then self time per package / project file. */
export function summariseProfile(profile: CpuProfile, top = 25): string {
  const idle = new Set(['(idle)', '(program)', '(garbage collector)']);
  const lines = ['Top functions by self time:'];
  for (const entry of selfTimes(profile).slice(0, top)) {
    lines.push(`  ${(entry.share * 100).toFixed(1).padStart(5)}%  ${entry.ms.toFixed(0).padStart(6)} ms  ${entry.name}`);
  }
  lines.push('', 'Self time by owner (package, project file, or V8):');
  const owners = selfTimes(profile, (node) =>
    idle.has(node.callFrame.functionName) ? node.callFrame.functionName : frameOwner(node.callFrame.url),
  );
  for (const entry of owners.slice(0, top)) {
    lines.push(`  ${(entry.share * 100).toFixed(1).padStart(5)}%  ${entry.ms.toFixed(0).padStart(6)} ms  ${entry.name}`);
  }
  lines.push('', 'Total time (with callees) of project functions:');
  const project = totalTimes(profile, (node) => /\/(src|bench)\//.test(node.callFrame.url) && !node.callFrame.url.includes('node_modules'));
  for (const entry of project.slice(0, top)) {
    lines.push(`  ${(entry.share * 100).toFixed(1).padStart(5)}%  ${entry.ms.toFixed(0).padStart(6)} ms  ${entry.name}`);
  }
  return lines.join('\n');
}

if (require.main === module) {
  const [file, count] = process.argv.slice(2);
  if (!file) {
    console.error('Usage: node dist-bench/bench/profile/summarise-cpuprofile.js <file.cpuprofile> [top]');
    process.exit(2);
  }
  const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile;
  console.log(summariseProfile(profile, count ? Number(count) : 25));
}
