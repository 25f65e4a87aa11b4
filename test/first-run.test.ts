/**
 * Issue 12, kinds 15 and 17: a newcomer's first run is quiet and every refusal is one line. Installing on the
 * README's Node.js (20.19) warns about no package's engines; a port in use or a data directory in use is said in
 * one line, before anything is created.
 */
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile, mkdir } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ROOT } from '../scripts/docs-build.ts';
import { spawnServer } from './helpers/process.ts';

type Version = [number, number, number];
const parse = (v: string): Version => {
  const [a = 0, b = 0, c = 0] = v.replace(/^v/, '').split('.').map((x) => (x === 'x' || x === '*' ? 0 : Number(x)));
  return [a, b, c];
};
const cmp = (a: Version, b: Version) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2];

/** Whether `version` satisfies an npm `engines` range (the forms packages use: `>=x`, `<x`, `^x.y.z`, `~x.y`, bare `x`, `a - b`, `||`). */
function satisfies(version: string, range: string): boolean {
  const v = parse(version);
  return range.split('||').some((alt) => {
    const parts = alt.trim().replace(/\s+-\s+/, ' - ').replace(/([<>=~^]+)\s+/g, '$1').split(/\s+/).filter(Boolean);
    if (parts.length === 3 && parts[1] === '-') return cmp(v, parse(parts[0])) >= 0 && cmp(v, parse(parts[2])) <= 0;
    return parts.every((p) => {
      const m = /^(>=|<=|>|<|=|\^|~)?(.+)$/.exec(p)!;
      const op = m[1] ?? '';
      const t = parse(m[2]);
      const segments = m[2].split('.').filter((x) => x !== 'x' && x !== '*').length;
      switch (op) {
        case '>=': return cmp(v, t) >= 0;
        case '>': return cmp(v, t) > 0;
        case '<=': return cmp(v, t) <= 0;
        case '<': return cmp(v, t) < 0;
        case '^': return cmp(v, t) >= 0 && (t[0] > 0 ? v[0] === t[0] : v[0] === 0 && v[1] === t[1]);
        case '~': return cmp(v, t) >= 0 && v[0] === t[0] && v[1] === t[1];
        default: return segments === 0 || (segments === 1 ? v[0] === t[0] : segments === 2 ? v[0] === t[0] && v[1] === t[1] : cmp(v, t) === 0);
      }
    });
  });
}

/** Runs a package script's entry with tsx; resolves with its exit code and all it printed. */
function run(script: string, args: string[], env: Record<string, string>): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, ['--import', 'tsx', script, ...args], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => (out += d));
    p.on('exit', (code) => resolve({ code, out }));
  });
}

describe('first run', () => {
  const dirs: string[] = [];
  after(async () => {
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });
  const tempDir = async () => {
    const d = await mkdtemp(path.join(tmpdir(), 'boxoffice-first-'));
    dirs.push(d);
    return d;
  };

  it('kind 17: every installed package accepts the README’s Node.js, so `npm install` prints no EBADENGINE', () => {
    const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const min = /Needs Node\.js (\d+\.\d+)\+/.exec(readme)?.[1];
    assert.ok(min, 'the README names the minimum Node.js');
    const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { engines: { node: string } };
    assert.equal(pkg.engines.node, `>=${min}`);
    const lock = JSON.parse(readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, { engines?: { node?: string } | string[]; version?: string }> };
    const refusing = Object.entries(lock.packages)
      .filter(([name, p]) => name && p.engines && !Array.isArray(p.engines) && p.engines.node && !satisfies(`${min}.0`, p.engines.node))
      .map(([name, p]) => `${name}@${p.version} wants node ${(p.engines as { node: string }).node}`);
    assert.deepEqual(refusing, []);
    // the checker itself
    assert.ok(satisfies('20.19.0', '^20.19.0 || ^22.12.0 || >=24.0.0') && satisfies('20.19.0', '18 || 20 || >=22') && satisfies('20.19.0', '*') && satisfies('20.19.0', '>=20.16.0 <21 || >=22.3.0'));
    assert.ok(!satisfies('20.19.0', '>=22') && !satisfies('20.19.0', '^22.12.0') && !satisfies('20.19.0', '20.20'));
  });

  it('kind 17: a port already in use is refused in one line before anything is created', async () => {
    const busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '0.0.0.0', resolve));
    const port = (busy.address() as AddressInfo).port;
    try {
      const dir = await tempDir();
      const dataDir = path.join(dir, 'data');
      const s = await spawnServer({ PORT: String(port), DATA_DIR: dataDir, JWT_SECRET: '' }, { waitHealthy: false });
      assert.equal((await s.exited).code, 1);
      const out = s.output().trim();
      assert.match(out, new RegExp(`^boxoffice: configuration error: port ${port} is already in use`), out);
      assert.doesNotMatch(out, /\n|EADDRINUSE|\bat \w/);
      assert.deepEqual(await readdir(dir), [], 'no data directory, database or secret file was created');
    } finally {
      busy.close();
    }
  });

  it('kind 15: create-admin on a data directory in use says so in one line', async () => {
    const dir = await tempDir();
    await mkdir(dir, { recursive: true });
    // process 1 is alive and is not this test's process or the CLI's parent: a running owner
    await writeFile(path.join(dir, 'boxoffice.pid'), '1\n');
    const { code, out } = await run('src/modules/auth/create-admin-cli.ts', ['--email', 'ops@example.com', '--password', 'ops-password-1'], { DATA_DIR: dir, DATABASE_URL: '' });
    assert.equal(code, 1);
    assert.match(out.trim(), /^create-admin: the data directory .* is in use by process 1/);
    assert.doesNotMatch(out.trim(), /\n|\bat \w/);
  });
});
