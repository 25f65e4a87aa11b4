/**
 * The example apps compile against the current SDK: each is type-checked (tsc, or vue-tsc for the Vue
 * single-file components) and built with its own Vite config, so an SDK change that breaks an example fails here.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { EXAMPLES, buildExample, exampleDir, typecheck } from './harness.ts';

describe('example apps build against the current SDK', () => {
  for (const name of EXAMPLES) {
    it(`${name}: type-checks`, async () => {
      await typecheck(name);
    });

    it(`${name}: builds with Vite`, async () => {
      const built = await buildExample(name);
      try {
        const html = readFileSync(path.join(built.outDir, 'index.html'), 'utf8');
        const scripts = readdirSync(path.join(built.outDir, 'assets')).filter((f) => f.endsWith('.js'));
        assert.equal(scripts.length, 1, `one bundle: ${scripts.join(', ')}`);
        assert.ok(html.includes(`assets/${scripts[0]}`), 'index.html loads the bundle');
        const bundle = readFileSync(path.join(built.outDir, 'assets', scripts[0]), 'utf8');
        // The SDK is in the bundle (its calls, not a stub), with the default server address.
        assert.ok(bundle.includes('/api/orders/enhanced/seats/lock'), 'the SDK is bundled');
        assert.ok(bundle.includes('http://localhost:3000'), 'the default base URL is compiled in');
      } finally {
        built.remove();
      }
    });
  }

  it('the framework-free part (src/boxoffice.ts, src/styles.css) is the same in every example', () => {
    for (const file of ['src/boxoffice.ts', 'src/styles.css', 'src/env.d.ts']) {
      const [first, ...rest] = EXAMPLES.map((name) => readFileSync(path.join(exampleDir(name), file), 'utf8'));
      rest.forEach((text, i) => assert.equal(text, first, `examples/${EXAMPLES[i + 1]}/${file} differs from examples/${EXAMPLES[0]}/${file}`));
    }
  });
});
