import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// Angular compiled just in time (see README): esbuild strips the types and applies the decorators
// (tsconfig "experimentalDecorators"), and @angular/compiler turns the templates into code in the browser.
// `boxoffice/client` is the SDK's TypeScript source in this repository (src/client); Vite compiles it with the app.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  resolve: { alias: { 'boxoffice/client': fileURLToPath(new URL('../../src/client/index.ts', import.meta.url)) } },
  server: { port: 5175 },
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 1500 },
});
