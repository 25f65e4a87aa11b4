import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// `boxoffice/client` is the SDK's TypeScript source in this repository (src/client); Vite compiles it with the app.
// JSX is compiled by Vite's own esbuild (tsconfig "jsx": "react-jsx"): see the README for why there is no plugin-react.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  resolve: { alias: { 'boxoffice/client': fileURLToPath(new URL('../../src/client/index.ts', import.meta.url)) } },
  server: { port: 5173 },
  build: { outDir: 'dist', emptyOutDir: true },
});
