import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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

/**
 * Makes this process the only one using an embedded database directory, as PostgreSQL's postmaster.pid
 * does: PGlite has no lock of its own, and two processes writing one data directory corrupt it. The
 * file holds the owner's pid; a file whose process is gone (a crash, a kill -9) is taken over. Returns
 * the release function.
 */
export function lockDataDir(dataDir: string): () => void {
  mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, LOCK_FILE);
  for (;;) {
    try {
      writeFileSync(file, `${process.pid}\n`, { flag: 'wx' });
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const owner = Number.parseInt(readFileSync(file, 'utf8'), 10);
    // our own pid or our parent's in the file: a container restarted with the same pids, not a live owner
    if (Number.isInteger(owner) && owner !== process.pid && owner !== process.ppid && alive(owner)) {
      throw new ConfigError(
        `the data directory ${dataDir} is in use by process ${owner} (another boxoffice or "npm run migrate"); ` +
          `stop it or set another DATA_DIR (if that process is not boxoffice, delete ${file})`,
      );
    }
    rmSync(file, { force: true }); // left by a process that is gone: take it over
  }
  let released = false;
  return () => {
    if (released) return;
    released = true;
    rmSync(file, { force: true });
  };
}
