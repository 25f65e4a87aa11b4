/**
 * The published docs are generated (scripts/docs-build.ts) and must match their sources: docs/openapi.json the
 * app's OpenAPI document, docs/events.md the event schemas of the contract, and every code block of
 * docs/integration.md the region of the example app it names. Fix a failure with `npm run docs`.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { ERROR_CODES } from '../src/contract/common.ts';
import { EVENTS } from '../src/contract/events.ts';
import { DOC_FILES, ROOT, eventsMarkdown, exampleRegions, integrationMarkdown, openApiJson } from '../scripts/docs-build.ts';

const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');

/** The first line where two texts differ, to make a failure readable. */
function firstDifference(actual: string, expected: string): string {
  const a = actual.split('\n');
  const e = expected.split('\n');
  for (let i = 0; i < Math.max(a.length, e.length); i++) {
    if (a[i] !== e[i]) return `line ${i + 1}:\n  committed: ${a[i] ?? '(end of file)'}\n  generated: ${e[i] ?? '(end of file)'}`;
  }
  return '(no difference)';
}

function assertFresh(file: string, fresh: string) {
  const committed = read(file);
  assert.ok(committed === fresh, `${file} is stale: run \`npm run docs\` and commit it. First difference at ${firstDifference(committed, fresh)}`);
}

/** Source files of the examples that may hold #region markers. src/boxoffice.ts is the same in each (test/examples/build.test.ts): the React copy counts. */
function exampleSources(): string[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
      const rel = `${dir}/${entry.name}`;
      if (entry.isDirectory()) walk(rel);
      else if (/\.(ts|tsx|vue)$/.test(entry.name)) files.push(rel);
    }
  };
  for (const name of ['react', 'vue', 'angular']) walk(`examples/${name}/src`);
  return files.filter((f) => !/examples\/(vue|angular)\/src\/boxoffice\.ts$/.test(f));
}

describe('generated docs are up to date', () => {
  it('docs/openapi.json is the OpenAPI document the app serves', async () => {
    const fresh = await openApiJson();
    assertFresh(DOC_FILES.openapi, fresh);
    const doc = JSON.parse(fresh) as { openapi: string; paths: Record<string, unknown> };
    assert.equal(doc.openapi, '3.0.3');
    for (const p of ['/api/v1/auth/login', '/api/v1/shows/{showDate}/seats', '/api/orders/enhanced/seats/lock', '/api/v1/orders', '/api/orders/enhanced/health']) {
      assert.ok(doc.paths[p], `documents ${p}`);
    }
  });

  it('docs/events.md lists every socket event with its payload schema', () => {
    const fresh = eventsMarkdown();
    assertFresh(DOC_FILES.events, fresh);
    for (const name of Object.values(EVENTS)) assert.ok(fresh.includes(`## ${name}\n`), `documents ${name}`);
  });

  it('docs/integration.md shows the examples’ code exactly, and the full error table', () => {
    const committed = read(DOC_FILES.integration);
    const { text, used } = integrationMarkdown(committed);
    assertFresh(DOC_FILES.integration, text);
    for (const code of ERROR_CODES) assert.match(text, new RegExp(`\\| \`${code}\` \\| \\d{3} \\|`), `the error table has ${code}`);
    const unused = exampleRegions(exampleSources()).filter((r) => !used.has(r));
    assert.deepEqual(unused, [], 'every #region of the examples is shown in the guide (or the marker is removed)');
  });

  it('every snippet block of the guide is generated (no hand-written code that could rot)', () => {
    const text = read(DOC_FILES.integration);
    // Outside snippet/generated blocks, only shell commands may be fenced.
    const outside = text.replace(/<!-- (snippet|generated): [^>]+ -->[\s\S]*?<!-- \/(snippet|generated) -->/g, '');
    const fences = [...outside.matchAll(/^```(\w*)/gm)].map((m) => m[1]).filter((lang, i) => i % 2 === 0);
    assert.deepEqual([...new Set(fences)].sort(), ['sh'], `hand-written blocks are shell commands only: ${fences.join(', ')}`);
  });
});
