#!/usr/bin/env node
// Runs every test/**/*.test.ts with node's test runner through tsx.
// `npm test` runs them all; `npm test -- test/orders.test.ts` runs the files named.
// With TEST_DATABASE_URL / TEST_REDIS_URL set, database and realtime tests also run against those servers.
//
// A full run goes in two lanes at once: the browser files one after another, everything else beside them
// (TEST_CONCURRENCY files at a time, default 2). Two Chromiums at once on a 2-core machine starved each other:
// the accessibility file took ~10 min beside the example apps' browser test against ~2.5 min alone, and hit the
// per-file time limit. With the other files one at a time, that lane alone took 23 min in CI: most files wait on
// a database or a child process part of the time, so two of them share the cores with the browser file well.
// The browser lane's report is printed when it ends, the other lane's as it goes.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { Buffer } from 'node:buffer';

function find(dir) {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return name === 'helpers' || name === 'fixtures' ? [] : find(p);
    return name.endsWith('.test.ts') ? [p] : [];
  });
}

/** Files that drive Chromium: test/e2e/ and the example apps' end-to-end test. */
const drivesBrowser = (file) => /(^|[/\\])e2e[/\\]/.test(file) || /examples[/\\]e2e\.test\.ts$/.test(file);

/** One node --test run; resolves to its exit status. `buffer`: keep its output and print it at the end. */
function run(targets, concurrency, buffer) {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, '--test-timeout=600000', ...flags, ...targets],
      { stdio: ['ignore', buffer ? 'pipe' : 'inherit', buffer ? 'pipe' : 'inherit'], env: { ...process.env, NODE_ENV: 'test' } },
    );
    const out = [];
    if (buffer) {
      child.stdout.on('data', (d) => out.push(d));
      child.stderr.on('data', (d) => out.push(d));
    }
    child.on('close', (code, signal) => {
      if (buffer) process.stdout.write(Buffer.concat(out));
      resolve(code ?? (signal ? 1 : 0));
    });
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
const concurrency = process.env.TEST_CONCURRENCY ?? 2;
if (files.length) {
  process.exit(await run(targets, concurrency, false));
}
const browser = targets.filter(drivesBrowser);
const rest = targets.filter((f) => !drivesBrowser(f));
process.stdout.write(`lanes: ${rest.length} files ${concurrency} at a time, beside ${browser.length} browser files one at a time (their report follows at their end)\n`);
const [restStatus, browserStatus] = await Promise.all([run(rest, concurrency, false), run(browser, 1, true)]);
process.stdout.write(`boxoffice tests: ${restStatus === 0 ? 'passed' : 'FAILED'} (other files), ${browserStatus === 0 ? 'passed' : 'FAILED'} (browser files)\n`);
process.exit(restStatus || browserStatus);
