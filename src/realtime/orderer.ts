import type { SeatEvent } from '../contract/events.ts';

/**
 * Puts one show's seat events back in seq order before they go out. Events reach an instance from
 * its own requests and, through Redis, from other instances, in whatever order the network makes;
 * seq was assigned in the same transaction as the seat change, so seq order is commit order.
 * A gap that does not fill within `gapWaitMs` (an instance died between COMMIT and publish) is
 * skipped: clients see the gap and reload the snapshot, as the contract says.
 *
 * Where a show stands is learnt the first time this instance needs it, not read for every show at start
 * (issue 13: start-up does not read every show): the first event of a show, or the first socket joining it,
 * reads the show's seq through `startOf` while that show's events wait. The show then continues from
 * that seq, or from just before the first event that arrived meanwhile when that is lower (an event this
 * instance committed itself, or that came through Redis while the read ran, is always delivered). An event
 * of the show committed before the read and still on its way when the read answered is not delivered by
 * this instance; like a skipped gap, its clients see the seq jump and reload (a client joining gets the seq
 * read in its ack, so it reloads at once when its state is older).
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
  /** per show whose seq is being read, the read: it settles the show's `next`, and resolves to its error if it failed */
  private readonly reads = new Map<string, Promise<unknown>>();
  private stopped = false;

  constructor(
    private readonly deliver: (e: SeatEvent) => void,
    /**
     * The seq of the show's last seat event now, or null when there is no such show (a join of any calendar
     * date is allowed: nothing is kept for it, so made-up dates cannot fill this instance's memory), read the
     * first time the show is needed here; a failure is told to `onReadFailed` and the show then starts at its
     * first event.
     */
    private readonly startOf: (showDate: string) => Promise<number | null>,
    private readonly gapWaitMs = 1000,
    /** told when seqs from..to of a show are given up on (their events, if they come later, are dropped) */
    private readonly onSkip: (showDate: string, from: number, to: number) => void = () => {},
    private readonly onReadFailed: (showDate: string, err: unknown) => void = () => {},
  ) {}

  /**
   * The seq of the last event delivered for the show, once this instance knows where the show stands (its
   * seq read, see the class comment); 0 for a show that does not exist. Rejects with the read's error when
   * the show is not known and the read failed; the next call reads again.
   */
  async position(showDate: string): Promise<number> {
    if (!this.next.has(showDate)) {
      const err = await this.read(showDate);
      if (err !== undefined && !this.next.has(showDate)) throw err;
    }
    return (this.next.get(showDate) ?? 1) - 1;
  }

  accept(e: SeatEvent): void {
    const expected = this.next.get(e.showDate);
    if (expected === undefined) {
      // where the show stands is being read (or is read now): the event waits for it
      this.buffer(e);
      void this.read(e.showDate);
      return;
    }
    if (e.seq < expected) return; // already delivered
    if (e.seq === expected) {
      this.next.set(e.showDate, e.seq + 1);
      this.deliver(e);
      this.drain(e.showDate);
      return;
    }
    this.buffer(e);
    if (!this.timers.has(e.showDate)) this.armGapTimer(e.showDate);
  }

  private buffer(e: SeatEvent): void {
    let buf = this.buffers.get(e.showDate);
    if (!buf) this.buffers.set(e.showDate, (buf = new Map()));
    buf.set(e.seq, e);
  }

  /** Reads the show's seq, one read at a time per show, and settles `next` for it (see the class comment). Resolves to the read's error, if any; never rejects. */
  private read(showDate: string): Promise<unknown> {
    let pending = this.reads.get(showDate);
    if (pending) return pending;
    pending = this.startOf(showDate).then(
      (seq) => {
        this.settle(showDate, seq);
        return undefined;
      },
      (err: unknown) => {
        this.onReadFailed(showDate, err);
        this.settle(showDate, undefined);
        return err;
      },
    );
    this.reads.set(showDate, pending);
    void pending.finally(() => this.reads.delete(showDate));
    return pending;
  }

  /** The read answered `seq` (null: no such show, undefined: it failed): the show continues from there, or from its first waiting event. */
  private settle(showDate: string, seq: number | null | undefined): void {
    if (this.stopped || this.next.has(showDate)) return;
    const buf = this.buffers.get(showDate);
    const firstWaiting = buf?.size ? Math.min(...buf.keys()) : undefined;
    if (firstWaiting === undefined && seq == null) return; // nothing to keep: the next need reads again
    const start = Math.min(seq ?? Infinity, (firstWaiting ?? Infinity) - 1);
    this.next.set(showDate, start + 1);
    this.drain(showDate);
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
    // only called after progress or a settled read: the seq missing now gets a full wait of its own
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
    this.stopped = true;
    for (const show of [...this.timers.keys()]) this.clearTimer(show);
  }
}
