import { linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../config.ts';

const LOCK_FILE = 'boxoffice.pid';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Puts the pid file in place unless one exists (false then). */
function place(written: string, file: string): boolean {
  try {
    linkSync(written, file);
    return true;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'ENOSYS') throw err;
  }
  // a file system without hard links: create it exclusively instead
  try {
    writeFileSync(file, `${process.pid}\n`, { flag: 'wx' });
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
}

/**
 * Makes this process the only one using an embedded database directory, as PostgreSQL's postmaster.pid
 * does: PGlite has no lock of its own, and two processes writing one data directory corrupt it. The
 * file holds the owner's pid; a file whose process is gone (a crash, a kill -9) is taken over. Returns
 * the release function.
 */
export function lockDataDir(dataDir: string): () => void {
  mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, LOCK_FILE);
  // written aside, then linked into place: the file appears whole or not at all, so a process starting at the
  // same moment never reads it half-written (link, unlike rename, fails if the name exists)
  const mine = `${file}.${process.pid}`;
  writeFileSync(mine, `${process.pid}\n`);
  try {
    for (;;) {
      if (place(mine, file)) break;
      let content: string;
      try {
        content = readFileSync(file, 'utf8');
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue; // its owner just let go
        throw err;
      }
      const owner = Number.parseInt(content, 10);
      // our own pid or our parent's in the file: a container restarted with the same pids, not a live owner
      if (Number.isInteger(owner) && owner !== process.pid && owner !== process.ppid && alive(owner)) {
        throw new ConfigError(
          `the data directory ${dataDir} is in use by process ${owner} (another boxoffice or "npm run migrate"); ` +
            `stop it or set another DATA_DIR (if that process is not boxoffice, delete ${file})`,
        );
      }
      rmSync(file, { force: true }); // left by a process that is gone: take it over
    }
  } finally {
    rmSync(mine, { force: true });
  }
  let released = false;
  return () => {
    if (released) return;
    released = true;
    rmSync(file, { force: true });
  };
}
