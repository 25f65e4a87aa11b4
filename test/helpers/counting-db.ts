import type { Db, Queryable } from '../../src/db/driver.ts';

/** A Db that counts what is sent through it; a transaction's BEGIN and COMMIT are round trips of their own. */
export interface CountingDb extends Db {
  /** round trips: every statement, plus BEGIN and COMMIT of every transaction */
  roundTrips: number;
  /** durable() calls: the wait for the disk after an asynchronous commit, one flush shared by every request that finished meanwhile */
  flushes: number;
  transactions: number;
  /** the SQL of every statement, in order */
  statements: string[];
  reset(): void;
}

/** Wraps `db` (the test's own, the app keeps using the original) so a test can count a service's database round trips. */
export function countingDb(db: Db): CountingDb {
  const wrap = (q: Queryable): Queryable => ({
    query(sql, params, name) {
      c.roundTrips++;
      c.statements.push(sql);
      return q.query(sql, params, name);
    },
    exec(sql) {
      c.roundTrips++;
      c.statements.push(sql);
      return q.exec(sql);
    },
  });
  const c: CountingDb = {
    kind: db.kind,
    asyncCommit: db.asyncCommit,
    durable: () => {
      c.flushes++;
      return db.durable();
    },
    ...wrap(db),
    roundTrips: 0,
    flushes: 0,
    transactions: 0,
    statements: [],
    tx(fn) {
      c.transactions++;
      c.roundTrips += 2;
      return db.tx((q) => fn(wrap(q)));
    },
    close: () => db.close(),
    reset() {
      c.roundTrips = 0;
      c.flushes = 0;
      c.transactions = 0;
      c.statements = [];
    },
  };
  return c;
}
