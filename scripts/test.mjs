#!/usr/bin/env node
// Runs every test/**/*.test.ts with node's test runner through tsx.
// `npm test` runs them all; `npm test -- test/orders.test.ts` runs the files named.
// With TEST_DATABASE_URL / TEST_REDIS_URL set, database and realtime tests also run against those servers.
//
// A full run takes every file in its own `node --test` process, TEST_CONCURRENCY (default 3) at a time, and at most
// one that drives Chromium at a time: two Chromiums at once on a 2-core machine starved each other (the
// accessibility file took ~10 min beside the example apps' browser test, ~2.5 min alone). The browser files run
// back to back whenever one is waiting (together they are the longest chain of the run); the others fill the rest,
// longest first by this machine's last run (kept in the temporary directory; files not timed yet first). It was
// two fixed lanes, browser files beside two others at a time: the browser lane ended at ~9 of ~15 min and the
// other lane ran on alone, two files at a time, while most files wait on a database or a child process part of
// the time. Each file's report is printed whole when it ends, then a line with its verdict and time.
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
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
const concurrency = Number(process.env.TEST_CONCURRENCY ?? 3);
if (files.length) {
  process.exit(await run(targets, concurrency, false));
}

/** seconds each file took in this machine's last full run */
const TIMES_FILE = join(tmpdir(), 'boxoffice-test-durations.json');
let lastTimes = {};
try {
  lastTimes = JSON.parse(readFileSync(TIMES_FILE, 'utf8'));
} catch {
  // no earlier run here: every file counts as not timed yet
}
const expected = (file) => lastTimes[file] ?? Number.MAX_SAFE_INTEGER;
const queue = [...targets].sort((a, b) => expected(b) - expected(a));
const times = {};
const failed = [];
let running = 0;
let browserBusy = false;
let finished = 0;
process.stdout.write(`${targets.length} files, ${concurrency} at a time, one driving Chromium at a time\n`);
await new Promise((allDone) => {
  const startNext = () => {
    while (running < concurrency && queue.length) {
      const browserFile = browserBusy ? -1 : queue.findIndex(drivesBrowser);
      const i = browserFile >= 0 ? browserFile : queue.findIndex((f) => !drivesBrowser(f));
      if (i < 0) break; // only browser files left, and one runs
      const [file] = queue.splice(i, 1);
      const browser = drivesBrowser(file);
      running++;
      if (browser) browserBusy = true;
      const t0 = Date.now();
      run([file], 1, true).then((status) => {
        running--;
        if (browser) browserBusy = false;
        const seconds = Math.round((Date.now() - t0) / 100) / 10;
        times[file] = seconds;
        if (status !== 0) failed.push(file);
        process.stdout.write(`boxoffice tests: ${file} ${status === 0 ? 'passed' : 'FAILED'} in ${seconds} s (${++finished}/${targets.length})\n`);
        if (!queue.length && !running) allDone();
        else startNext();
      });
    }
  };
  startNext();
});
try {
  writeFileSync(TIMES_FILE, JSON.stringify({ ...lastTimes, ...times }));
} catch {
  // only the order of the next run depends on it
}
process.stdout.write(`boxoffice tests: ${failed.length ? `FAILED: ${failed.join(', ')}` : 'all passed'}\n`);
process.exit(failed.length ? 1 : 0);
