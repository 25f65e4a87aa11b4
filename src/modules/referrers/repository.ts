import type { Queryable } from '../../db/driver.ts';

export interface ReferrerRow {
  code: string;
  name: string;
  commission_per_ticket: number;
  created_at: Date;
}

export const referrersRepository = {
  /** False when the code is taken. */
  async insert(q: Queryable, r: { code: string; name: string; commissionPerTicket: number; now: Date }): Promise<ReferrerRow | undefined> {
    const { rows } = await q.query<ReferrerRow>(
      `INSERT INTO referrers (code, name, commission_per_ticket, created_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (code) DO NOTHING RETURNING *`,
      [r.code, r.name, r.commissionPerTicket, r.now],
    );
    return rows[0];
  },

  async find(q: Queryable, code: string): Promise<ReferrerRow | undefined> {
    const { rows } = await q.query<ReferrerRow>('SELECT * FROM referrers WHERE code = $1', [code]);
    return rows[0];
  },

  async list(q: Queryable): Promise<ReferrerRow[]> {
    return (await q.query<ReferrerRow>('SELECT * FROM referrers ORDER BY code')).rows;
  },
};
