import { outboxRepository } from '../mail/outbox.ts';
import type { Db } from '../../db/driver.ts';
import type { Config } from '../../config.ts';
import type { Health, Stats } from '../../contract/ops.ts';
import type { Counters } from './counters.ts';
import { catalogRepository } from '../catalog/repository.ts';

export interface RedisProbe {
  ping(): Promise<unknown>;
}

export interface RealtimeProbe {
  connections(): number;
}

const PING_TIMEOUT_MS = 1500;

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([p, new Promise<T>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms)))]).finally(() =>
    clearTimeout(timer),
  );
}

export class OpsService {
  private readonly startedAt = Date.now();

  constructor(
    private readonly db: Db,
    private readonly config: Config,
    private readonly counters: Counters,
    private readonly realtime: RealtimeProbe,
    private readonly version: string,
    private readonly redis?: RedisProbe,
    /** why a check is down goes here (the log), never into the public answer */
    private readonly log?: { warn(obj: object, msg: string): void },
  ) {}

  private async probe(name: string, fn: () => Promise<unknown>): Promise<Health['checks']['database']> {
    const t0 = performance.now();
    try {
      await withTimeout(fn(), PING_TIMEOUT_MS);
      return { status: 'ok', latencyMs: Math.round((performance.now() - t0) * 100) / 100 };
    } catch (err) {
      this.log?.warn({ check: name, err }, 'health check failed');
      return { status: 'down' };
    }
  }

  async health(): Promise<Health> {
    const [database, redis] = await Promise.all([
      this.probe('database', () => this.db.query('SELECT 1')),
      this.redis ? this.probe('redis', () => this.redis!.ping()) : Promise.resolve(undefined),
    ]);
    const health: Health = {
      // Redis down degrades realtime fan-out and shared rate limits, not bookings: only the database decides
      status: database.status === 'ok' ? 'ok' : 'degraded',
      checks: { database, realtime: { status: 'ok', connections: this.realtime.connections() } },
      uptimeS: Math.round((Date.now() - this.startedAt) / 1000),
      version: this.version,
    };
    if (redis) health.checks.redis = redis;
    return health;
  }

  async stats(): Promise<Stats> {
    const now = this.config.clock.now();
    const [shows, orders, totals, mail] = await Promise.all([
      catalogRepository.showCounts(this.db, now),
      this.db.query<{ status: 'PENDING' | 'PAID' | 'CANCELLED'; n: number }>('SELECT status, count(*)::int AS n FROM orders GROUP BY status'),
      this.counters.totals(this.db),
      outboxRepository.counts(this.db),
    ]);
    const byStatus = { PENDING: 0, PAID: 0, CANCELLED: 0 };
    for (const r of orders.rows) byStatus[r.status] = r.n;
    return {
      shows: shows.map((r) => ({
        showDate: r.show_date,
        seq: Number(r.seq),
        counts: { available: r.available, locked: r.locked, booked: r.booked, blocked: r.blocked },
      })),
      orders: byStatus,
      activeLocks: shows.reduce((sum, r) => sum + r.locked, 0),
      lockConflicts: totals.lock_conflicts,
      locksExpired: totals.locks_expired,
      ordersExpired: totals.orders_expired,
      socketConnections: this.realtime.connections(),
      mail,
      generatedAt: now.toISOString(),
    };
  }
}
