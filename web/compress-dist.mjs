// After `vite build` (npm run build:web): writes a brotli (.br) and a gzip (.gz) copy next to every text file of
// web/dist over 1 KB, which the server sends to browsers that accept them (@fastify/static `preCompressed`), so the
// app's ~600 KB of JavaScript reaches a phone as ~150 KB. Node's own zlib, at its best compression: this runs once
// per build, not per request.
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { brotliCompressSync, gzipSync, constants } from 'node:zlib';

const dist = new URL('./dist/', import.meta.url).pathname;
const TEXT = /\.(js|css|html|svg|json|webmanifest|txt)$/;

function* files(dir) {
  for (const name of readdirSync(dir)) {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) yield* files(p);
    else if (TEXT.test(name)) yield p;
  }
}

let count = 0;
for (const file of files(dist)) {
  const body = readFileSync(file);
  if (body.length < 1024) continue;
  writeFileSync(`${file}.br`, brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: body.length } }));
  writeFileSync(`${file}.gz`, gzipSync(body, { level: 9 }));
  count++;
}
process.stdout.write(`web/dist: ${count} files pre-compressed (.br, .gz)\n`);
