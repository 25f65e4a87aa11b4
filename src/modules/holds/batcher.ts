import type { Db } from '../../db/driver.ts';
import { holdsRepository, type HoldOp, type HoldOpResult, type LockOutcome, type ReleaseOutcome } from './repository.ts';

export interface HoldBatcherOptions {
  ttlMs: number;
  max: number;
  /** most operations in one statement */
  maxBatch: number;
  /** batches (statements) in flight at once; requests arriving meanwhile wait and form the next batch */
  maxInFlight: number;
  /**
   * Batches in flight from which a new one waits for one of them to finish, and so grows, unless its oldest
   * request has waited stallMs (then it goes, up to maxInFlight). Default maxInFlight (never wait).
   */
  eagerInFlight?: number;
  /** ms; see eagerInFlight */
  stallMs?: number;
  /** batches in flight at once that carry one show's operations */
  maxInFlightPerShow: number;
  /**
   * Commit each batch asynchronously and answer it after Db.durable() (DATABASE_ASYNC_COMMIT=all on PostgreSQL;
   * only when db.asyncCommit). Default false: each batch commits synchronously, one flush per batch.
   */
  asyncCommit?: boolean;
}

interface Pending {
  op: HoldOp;
  /** performance.now() when it arrived */
  at: number;
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
 * (holdsRepository.batch: bo_hold_seats, or bo_hold_batch): one round trip and one commit for many requests,
 * the lever that lets the HTTP path keep up with the database.
 *
 * Batches are formed per show: requests wait in their show's queue, and a batch takes everything waiting
 * for a show (up to maxBatch), plus the queues of other shows while there is room. A show has at most
 * maxInFlightPerShow batches in flight: its batches serialise at the end anyway (they number their
 * events on the show's row, bo_next_seq), so on a hot show whatever arrives meanwhile rides in the next
 * batch instead of each request queueing on that row alone. When a batch commits, the next one of its shows
 * leaves at once, before the server writes the answers of the one that finished. A request arriving while
 * its show is idle goes out on the next turn of the event loop with whatever arrived alongside it — unless
 * eagerInFlight batches are in flight: then it waits for one of them to finish, or stallMs at most.
 *
 * With DATABASE_ASYNC_COMMIT=all (PostgreSQL; the default, `orders`, keeps batches synchronous) a batch commits asynchronously and its requests are
 * answered once the database says it is on disk (Db.durable(), one flush shared by every batch that finished
 * meanwhile): the show row its events are numbered on is then held to COMMIT but not through the disk write
 * (docs/ARCHITECTURE.md "Holds commit asynchronously, answers wait for the disk").
 *
 * Each request still gets its own all-or-nothing answer, the one it would get alone after the requests
 * before it. If the batch statement fails on the server (it then rolled back as a whole), every request is
 * retried on its own, in arrival order, so one bad request cannot fail the others. If the database does not
 * answer at all, the batch's requests and those waiting for its shows fail at once (the callers answer 503).
 * Callers emit events only after this resolves, i.e. after the batch committed.
 */
export class HoldBatcher {
  /** per show, in arrival order; a Map keeps the shows in the order they first waited */
  private readonly queues = new Map<string, Pending[]>();
  private readonly showsInFlight = new Map<string, number>();
  private inFlight = 0;
  private scheduled = false;
  /** the wake-up of a dispatch that held a batch back (eagerInFlight) */
  private stallTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly db: Db,
    private readonly opts: HoldBatcherOptions,
  ) {}

  lock(op: Extract<HoldOp, { op: 'lock' }>): Promise<LockOutcome> {
    return this.submit(op) as Promise<LockOutcome>;
  }

  /** undefined when there is no such show */
  release(op: Extract<HoldOp, { op: 'release' }>): Promise<ReleaseOutcome | undefined> {
    return this.submit(op) as Promise<ReleaseOutcome | undefined>;
  }

  private submit(op: HoldOp): Promise<HoldOpResult> {
    return new Promise((resolve, reject) => {
      const waiting = { op, at: performance.now(), resolve, reject };
      const queue = this.queues.get(op.showDate);
      if (queue) queue.push(waiting);
      else this.queues.set(op.showDate, [waiting]);
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.inFlight >= this.opts.maxInFlight || this.queues.size === 0) return;
    this.scheduled = true;
    // setImmediate runs after the current I/O phase: requests parsed in the same turn join one batch
    setImmediate(() => {
      this.scheduled = false;
      this.dispatch();
    });
  }

  /**
   * Starts batches while a slot is free and a show that may start one has requests waiting. From eagerInFlight
   * batches in flight on, what waits is held back to ride in a bigger batch when one of them finishes (each
   * statement has a fixed cost), unless it has waited stallMs: a batch stuck on a lock must not hold up the
   * other shows for longer than that. Whatever is held back goes when a batch finishes or at the stall timer.
   */
  private dispatch(): void {
    clearTimeout(this.stallTimer);
    this.stallTimer = undefined;
    while (this.inFlight < this.opts.maxInFlight) {
      if (this.inFlight >= (this.opts.eagerInFlight ?? this.opts.maxInFlight)) {
        const oldest = this.oldestStartable();
        if (oldest === undefined) break;
        const waitMs = oldest + (this.opts.stallMs ?? 0) - performance.now();
        if (waitMs > 0) {
          this.stallTimer = setTimeout(() => this.dispatch(), Math.ceil(waitMs));
          break;
        }
      }
      const batch = this.nextBatch();
      if (!batch) break;
      this.inFlight++;
      void this.run(batch);
    }
  }

  /** A batch left its slot: its shows may start their next batch. */
  private leave(shows: string[]): void {
    this.inFlight--;
    for (const show of shows) {
      const n = this.showsInFlight.get(show)! - 1;
      if (n === 0) this.showsInFlight.delete(show);
      else this.showsInFlight.set(show, n);
    }
  }

  /** Whether the show has fewer than maxInFlightPerShow batches in flight, i.e. may start one now. */
  private mayStart(show: string): boolean {
    return (this.showsInFlight.get(show) ?? 0) < this.opts.maxInFlightPerShow;
  }

  /** When the oldest request of a show that may start a batch now arrived (performance.now()); undefined if none. */
  private oldestStartable(): number | undefined {
    let oldest: number | undefined;
    for (const [show, queue] of this.queues) {
      if (!this.mayStart(show)) continue;
      if (oldest === undefined || queue[0]!.at < oldest) oldest = queue[0]!.at;
    }
    return oldest;
  }

  /** Everything waiting for the shows that may start a batch now, up to maxBatch; undefined if none may. */
  private nextBatch(): { pending: Pending[]; shows: string[] } | undefined {
    const pending: Pending[] = [];
    const shows: string[] = [];
    for (const [show, queue] of this.queues) {
      if (pending.length >= this.opts.maxBatch) break;
      if (!this.mayStart(show)) continue;
      pending.push(...queue.splice(0, this.opts.maxBatch - pending.length));
      if (queue.length === 0) this.queues.delete(show);
      shows.push(show);
      this.showsInFlight.set(show, (this.showsInFlight.get(show) ?? 0) + 1);
    }
    return pending.length ? { pending, shows } : undefined;
  }

  private async run({ pending, shows }: { pending: Pending[]; shows: string[] }): Promise<void> {
    let results: HoldOpResult[];
    try {
      results = await this.commit(pending.map((p) => p.op));
    } catch (err) {
      if (!rolledBack(err)) {
        // The database did not answer (time limit, connection lost): the outcome is unknown, nothing is retried.
        // What waits for the same shows would only wait a whole time limit more behind this batch: it fails
        // now, never sent (so nothing of it happened), and its callers answer 503 at once.
        for (const p of pending) p.reject(err);
        for (const show of shows) {
          for (const p of this.queues.get(show) ?? []) p.reject(err);
          this.queues.delete(show);
        }
      } else if (pending.length === 1) {
        pending[0]!.reject(err);
      } else {
        // nothing of the batch happened: each request succeeds or fails on its own, still in arrival order
        for (const p of pending) await this.single(p);
      }
      this.leave(shows);
      this.schedule();
      return;
    }
    // The slot is free once the batch committed. What waited for its shows meanwhile goes out now, before
    // this batch's answers are written (they are settled on the next tick, after the pool has sent the next
    // statement): on a hot show the database does not sit idle while the server writes a batch of answers.
    this.leave(shows);
    this.dispatch();
    process.nextTick(() => void this.settle(pending, results));
  }

  /** One batch statement, its own transaction (committed asynchronously with opts.asyncCommit: see settle()). */
  private commit(ops: HoldOp[]): Promise<HoldOpResult[]> {
    return holdsRepository.batch(this.db, ops, this.opts);
  }

  /**
   * Answers the requests once their batch is on disk. A failed flush leaves the outcome unknown (the batch
   * committed; the database may have crashed before writing it): every request gets the error, none is retried.
   */
  private async settle(batch: Pending[], results: HoldOpResult[]): Promise<void> {
    try {
      if (this.opts.asyncCommit) await this.db.durable();
    } catch (err) {
      for (const p of batch) p.reject(err);
      return;
    }
    batch.forEach((p, i) => p.resolve(results[i]));
  }

  private async single(p: Pending): Promise<void> {
    let results: HoldOpResult[];
    try {
      results = await this.commit([p.op]);
    } catch (err) {
      p.reject(err);
      return;
    }
    void this.settle([p], results);
  }
}
