import { fileURLToPath } from 'node:url';
import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vite';

// `boxoffice/client` is the SDK's TypeScript source in this repository (src/client); Vite compiles it with the app.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  plugins: [vue()],
  resolve: { alias: { 'boxoffice/client': fileURLToPath(new URL('../../src/client/index.ts', import.meta.url)) } },
  server: { port: 5174 },
  build: { outDir: 'dist', emptyOutDir: true },
});
