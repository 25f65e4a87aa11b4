import type { FastifyBaseLogger } from 'fastify';
import type { Db } from '../../db/driver.ts';
import type { HoldsService } from '../holds/service.ts';
import type { OrdersService } from '../orders/service.ts';
import type { Counters } from './counters.ts';
import type { CleanupResult } from '../../contract/ops.ts';

/**
 * The expiry sweep: releases expired locks and cancels PENDING orders past their deadline, then
 * flushes the shared counters. Runs every `intervalMs` on every instance (the SQL skips rows another
 * instance is working on) and on demand through POST /api/orders/enhanced/cleanup.
 */
export class Sweeper {
  private timer?: NodeJS.Timeout;
  private running?: Promise<CleanupResult>;

  constructor(
    private readonly db: Db,
    private readonly holds: HoldsService,
    private readonly orders: OrdersService,
    private readonly counters: Counters,
    private readonly log: FastifyBaseLogger,
  ) {}

  /** One sweep; a call while a sweep is under way waits for a fresh one after it. */
  async sweep(): Promise<CleanupResult> {
    while (this.running) await this.running.catch(() => undefined);
    this.running = (async () => {
      const expiredOrders = await this.orders.expireOrders();
      const releasedLocks = await this.holds.expireLocks();
      await this.counters.flush(this.db);
      return { releasedLocks, expiredOrders };
    })();
    try {
      return await this.running;
    } finally {
      this.running = undefined;
    }
  }

  start(intervalMs: number): void {
    const tick = async () => {
      try {
        const r = await this.sweep();
        if (r.releasedLocks || r.expiredOrders) this.log.info(r, 'expiry sweep');
      } catch (err) {
        this.log.warn({ err }, 'expiry sweep failed; will retry');
      }
      if (this.timer) this.timer = setTimeout(tick, intervalMs).unref();
    };
    this.timer = setTimeout(tick, intervalMs).unref();
  }

  async stop(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.running?.catch(() => undefined);
  }
}
