import { defineConfig } from 'vite';
import { fileURLToPath } from 'node:url';

const webDir = fileURLToPath(new URL('.', import.meta.url));

// The web app is plain Preact compiled by esbuild (no Babel plugin needed).
// `npm run build:web` writes web/dist, which the server serves at `/`.
export default defineConfig({
  root: webDir,
  base: '/',
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true, chunkSizeWarningLimit: 600 },
  server: {
    // `npx vite web` during development, with `npm start` running the API on port 3000.
    proxy: {
      '/api': 'http://localhost:3000',
      '/socket.io': { target: 'http://localhost:3000', ws: true },
    },
  },
});
