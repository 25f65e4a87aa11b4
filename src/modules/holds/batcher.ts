import type { Db } from '../../db/driver.ts';
import { holdsRepository, type HoldOp, type HoldOpResult, type LockOutcome, type ReleasedGroup } from './repository.ts';

export interface HoldBatcherOptions {
  ttlMs: number;
  max: number;
  /** most operations in one statement */
  maxBatch: number;
  /** batches (statements) in flight at once; requests arriving meanwhile wait and form the next batch */
  maxInFlight: number;
}

interface Pending {
  op: HoldOp;
  resolve: (r: HoldOpResult) => void;
  reject: (err: unknown) => void;
}

/**
 * A PostgreSQL error answer (SQLSTATE): the statement failed on the server, so its implicit transaction
 * rolled back and nothing of the batch happened. Anything else (connection lost, client timeout) leaves
 * the outcome unknown, and must not be retried blindly.
 */
function rolledBack(err: unknown): boolean {
  const code = (err as { code?: unknown })?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code);
}

/**
 * Coalesces lock and release requests that reach this instance at the same moment into one statement
 * (bo_hold_batch): one round trip and one commit for many requests, the lever that lets the HTTP path
 * keep up with the database. A request arriving while nothing is in flight goes out on the next turn of
 * the event loop with whatever arrived alongside it; a lone request uses the single-request functions.
 *
 * Each request still gets its own all-or-nothing answer: the batch runs the same single-request
 * functions one after another in one transaction. If the batch statement fails on the server (it then
 * rolled back as a whole), every request is retried on its own, in arrival order, so one bad request
 * cannot fail the others.
 * Callers emit events only after this resolves, i.e. after the batch committed.
 */
export class HoldBatcher {
  private queue: Pending[] = [];
  private inFlight = 0;
  private scheduled = false;

  constructor(
    private readonly db: Db,
    private readonly opts: HoldBatcherOptions,
  ) {}

  lock(op: Extract<HoldOp, { op: 'lock' }>): Promise<LockOutcome> {
    return this.submit(op) as Promise<LockOutcome>;
  }

  /** undefined when there is no such show */
  release(op: Extract<HoldOp, { op: 'release' }>): Promise<ReleasedGroup[] | undefined> {
    return this.submit(op) as Promise<ReleasedGroup[] | undefined>;
  }

  private submit(op: HoldOp): Promise<HoldOpResult> {
    return new Promise((resolve, reject) => {
      this.queue.push({ op, resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.inFlight >= this.opts.maxInFlight || this.queue.length === 0) return;
    this.scheduled = true;
    // setImmediate runs after the current I/O phase: requests parsed in the same turn join one batch
    setImmediate(() => {
      this.scheduled = false;
      while (this.inFlight < this.opts.maxInFlight && this.queue.length > 0) {
        const batch = this.queue.splice(0, this.opts.maxBatch);
        this.inFlight++;
        void this.run(batch).finally(() => {
          this.inFlight--;
          this.schedule();
        });
      }
    });
  }

  private async run(batch: Pending[]): Promise<void> {
    if (batch.length === 1) return this.single(batch[0]);
    let results: HoldOpResult[];
    try {
      results = await holdsRepository.batch(this.db, batch.map((p) => p.op), this.opts);
    } catch (err) {
      if (!rolledBack(err)) {
        for (const p of batch) p.reject(err);
        return;
      }
      // nothing of the batch happened: each request succeeds or fails on its own, still in arrival order
      for (const p of batch) await this.single(p);
      return;
    }
    batch.forEach((p, i) => p.resolve(results[i]));
  }

  private async single(p: Pending): Promise<void> {
    try {
      const { op } = p;
      p.resolve(
        op.op === 'lock'
          ? await holdsRepository.lock(this.db, { ...op, ttlMs: this.opts.ttlMs, max: this.opts.max })
          : await holdsRepository.release(this.db, op),
      );
    } catch (err) {
      p.reject(err);
    }
  }
}
