/**
 * The example apps compile against the current SDK: each is type-checked (tsc, or vue-tsc for the Vue
 * single-file components), so an SDK change that breaks an example fails here. Each is also built with its own
 * Vite config, once, by the end-to-end test (test/examples/e2e.test.ts), which checks the bundle before using it.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { EXAMPLES, exampleDir, typecheck } from './harness.ts';

describe('example apps type-check against the current SDK', () => {
  for (const name of EXAMPLES) {
    it(`${name}: type-checks`, async () => {
      await typecheck(name);
    });
  }

  it('the framework-free part (src/boxoffice.ts, src/styles.css) is the same in every example; it talks to http://localhost:3000 unless built with VITE_BOXOFFICE_URL', () => {
    assert.match(readFileSync(path.join(exampleDir(EXAMPLES[0]), 'src/boxoffice.ts'), 'utf8'), /import\.meta\.env\.VITE_BOXOFFICE_URL \?\? 'http:\/\/localhost:3000'/);
    for (const file of ['src/boxoffice.ts', 'src/styles.css', 'src/env.d.ts']) {
      const [first, ...rest] = EXAMPLES.map((name) => readFileSync(path.join(exampleDir(name), file), 'utf8'));
      rest.forEach((text, i) => assert.equal(text, first, `examples/${EXAMPLES[i + 1]}/${file} differs from examples/${EXAMPLES[0]}/${file}`));
    }
  });
});
