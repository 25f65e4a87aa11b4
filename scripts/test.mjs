#!/usr/bin/env node
// Runs every test/**/*.test.ts with node's test runner through tsx.
// `npm test` runs them all; `npm test -- test/orders.test.ts` runs the files named.
// With TEST_DATABASE_URL / TEST_REDIS_URL set, database and realtime tests also run against those servers.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

function find(dir) {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return name === 'helpers' || name === 'fixtures' ? [] : find(p);
    return name.endsWith('.test.ts') ? [p] : [];
  });
}

const args = process.argv.slice(2);
const files = args.filter((a) => !a.startsWith('-'));
const flags = args.filter((a) => a.startsWith('-'));
const targets = files.length ? files : find('test').sort();
process.stdout.write(
  `boxoffice tests: ${targets.length} files; databases: PGlite${process.env.TEST_DATABASE_URL ? ` + PostgreSQL (${process.env.TEST_DATABASE_URL})` : ' only (set TEST_DATABASE_URL to add PostgreSQL)'}; ` +
    `redis: ${process.env.TEST_REDIS_URL ?? 'not set (multi-instance tests need TEST_REDIS_URL)'}\n`,
);
const res = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', `--test-concurrency=${process.env.TEST_CONCURRENCY ?? 2}`, '--test-timeout=600000', ...flags, ...targets],
  { stdio: 'inherit', env: { ...process.env, NODE_ENV: 'test' } },
);
process.exit(res.status ?? 1);
