import type { Db } from '../../db/driver.ts';

export type CounterName = 'lock_conflicts' | 'locks_expired' | 'orders_expired';

/**
 * Counters shared by all instances. Increments are kept in memory and added to the database in one
 * statement per counter by the sweeper, so the hot lock path never writes a shared counter row.
 */
export class Counters {
  private pending: Record<CounterName, number> = { lock_conflicts: 0, locks_expired: 0, orders_expired: 0 };

  inc(name: CounterName, by = 1): void {
    this.pending[name] += by;
  }

  async flush(db: Db): Promise<void> {
    const batch = this.pending;
    this.pending = { lock_conflicts: 0, locks_expired: 0, orders_expired: 0 };
    const names = (Object.keys(batch) as CounterName[]).filter((n) => batch[n] > 0);
    if (names.length === 0) return;
    try {
      await db.query(
        'UPDATE ops_counters c SET value = c.value + d.delta FROM unnest($1::text[], $2::bigint[]) AS d(name, delta) WHERE c.name = d.name',
        [names, names.map((n) => batch[n])],
      );
    } catch (err) {
      for (const n of names) this.pending[n] += batch[n];
      throw err;
    }
  }

  /** Database totals plus what this instance has not flushed yet. */
  async totals(db: Db): Promise<Record<CounterName, number>> {
    const { rows } = await db.query<{ name: CounterName; value: number }>('SELECT name, value FROM ops_counters');
    const out = { ...this.pending };
    for (const r of rows) out[r.name] += Number(r.value);
    return out;
  }
}
