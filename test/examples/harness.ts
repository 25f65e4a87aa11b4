/** Builds, type-checks and serves the example apps in examples/ for the example tests. */
import { spawn } from 'node:child_process';
import { createReadStream, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const EXAMPLES = ['react', 'vue', 'angular'] as const;
export type Example = (typeof EXAMPLES)[number];

export const exampleDir = (name: Example) => path.join(ROOT, 'examples', name);

/** The type checker of each example: plain tsc, or vue-tsc for the .vue single-file components. */
export function typecheckCommand(name: Example): string[] {
  const bin = name === 'vue' ? 'node_modules/vue-tsc/bin/vue-tsc.js' : 'node_modules/typescript/bin/tsc';
  return [path.join(ROOT, bin), '-p', path.join(exampleDir(name), 'tsconfig.json')];
}

/** Runs the example's type check; resolves with its output, rejects with it when there are errors. */
export function typecheck(name: Example): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, typecheckCommand(name), { cwd: exampleDir(name), stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`type check of examples/${name} failed (exit ${code}):\n${out}`))));
  });
}

/**
 * Builds the example with its own vite.config.ts into a fresh temporary directory (never into the source tree).
 * `serverUrl` becomes the app's VITE_BOXOFFICE_URL.
 */
export async function buildExample(name: Example, serverUrl?: string): Promise<{ outDir: string; remove(): void }> {
  const outDir = mkdtempSync(path.join(tmpdir(), `boxoffice-example-${name}-`));
  await build({
    configFile: path.join(exampleDir(name), 'vite.config.ts'),
    root: exampleDir(name),
    logLevel: 'error',
    mode: 'production',
    build: { outDir, emptyOutDir: true },
    define: serverUrl === undefined ? {} : { 'import.meta.env.VITE_BOXOFFICE_URL': JSON.stringify(serverUrl) },
  });
  return { outDir, remove: () => rmSync(outDir, { recursive: true, force: true }) };
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.map': 'application/json',
};

/** A static file server for a built example on a free port (index.html for unknown paths, as a SPA host would). */
export async function serveStatic(dir: string): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    let file = path.join(dir, path.normalize(pathname));
    if (!file.startsWith(dir) || !existsSync(file) || statSync(file).isDirectory()) file = path.join(dir, 'index.html');
    res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
    createReadStream(file).pipe(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
