import type { SeatEvent } from '../contract/events.ts';

/**
 * Puts one show's seat events back in seq order before they go out. Events reach an instance from
 * its own requests and, through Redis, from other instances, in whatever order the network makes;
 * seq was assigned in the same transaction as the seat change, so seq order is commit order.
 * A gap that does not fill within `gapWaitMs` (an instance died between COMMIT and publish) is
 * skipped: clients see the gap in seq and reload the snapshot, as the contract says.
 *
 * The skip is decided only after the events already read from the network have been handed over: when
 * this process was stalled (CPU starvation, a long GC), Node runs the overdue gap timer before the I/O
 * that piled up meanwhile, which may hold the very event the timer gives up on. So the timer only
 * schedules the decision with `setImmediate`, which runs after that I/O.
 */
export class SeqOrderer {
  private readonly next = new Map<string, number>();
  private readonly buffers = new Map<string, Map<number, SeatEvent>>();
  /** per show, the pending gap wait (a timer, then the immediate that decides) */
  private readonly timers = new Map<string, { cancel(): void }>();

  constructor(
    private readonly deliver: (e: SeatEvent) => void,
    private readonly gapWaitMs = 1000,
    /** told when seqs from..to of a show are given up on (their events, if they come later, are dropped) */
    private readonly onSkip: (showDate: string, from: number, to: number) => void = () => {},
  ) {}

  /** The seq of the last event delivered for the show (0 before any). */
  lastSeq(showDate: string): number {
    return (this.next.get(showDate) ?? 1) - 1;
  }

  /** Where the show stands now, e.g. read from the database at start. */
  init(showDate: string, seq: number): void {
    if (!this.next.has(showDate) || this.next.get(showDate)! <= seq) this.next.set(showDate, seq + 1);
  }

  accept(e: SeatEvent): void {
    // A show this instance has no seq for was created after init() read them all, so it started at 0 and
    // its first event is seq 1. Taking the first event that happens to arrive as the start instead would
    // drop an earlier one that arrives a moment later (two commits racing, or one coming through Redis).
    const expected = this.next.get(e.showDate) ?? 1;
    if (e.seq < expected) return; // already delivered
    if (e.seq === expected) {
      this.next.set(e.showDate, e.seq + 1);
      this.deliver(e);
      this.drain(e.showDate);
      return;
    }
    let buf = this.buffers.get(e.showDate);
    if (!buf) this.buffers.set(e.showDate, (buf = new Map()));
    buf.set(e.seq, e);
    if (!this.timers.has(e.showDate)) {
      this.armGapTimer(e.showDate);
    }
  }

  private drain(showDate: string): void {
    const buf = this.buffers.get(showDate);
    if (!buf) return;
    let next = this.next.get(showDate)!;
    for (let e = buf.get(next); e; e = buf.get(next)) {
      buf.delete(next);
      this.deliver(e);
      next++;
    }
    this.next.set(showDate, next);
    this.clearTimer(showDate);
    if (buf.size === 0) this.buffers.delete(showDate);
    // only called after progress: the seq missing now gets a full wait of its own
    else this.armGapTimer(showDate);
  }

  private armGapTimer(showDate: string): void {
    const wait = { cancel: () => clearTimeout(timer) };
    const timer = setTimeout(() => {
      const decide = setImmediate(() => this.skipGap(showDate, wait));
      wait.cancel = () => clearImmediate(decide);
    }, this.gapWaitMs).unref();
    this.timers.set(showDate, wait);
  }

  private skipGap(showDate: string, wait: { cancel(): void }): void {
    if (this.timers.get(showDate) !== wait) return;
    this.timers.delete(showDate);
    const buf = this.buffers.get(showDate);
    if (!buf || buf.size === 0) return;
    const resume = Math.min(...buf.keys());
    this.onSkip(showDate, this.next.get(showDate) ?? 1, resume - 1);
    this.next.set(showDate, resume);
    this.drain(showDate);
  }

  private clearTimer(showDate: string): void {
    this.timers.get(showDate)?.cancel();
    this.timers.delete(showDate);
  }

  stop(): void {
    for (const show of [...this.timers.keys()]) this.clearTimer(show);
  }
}
