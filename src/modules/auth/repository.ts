import type { Queryable } from '../../db/driver.ts';
import type { Role } from '../../contract/common.ts';

export interface UserRow {
  id: string;
  email: string;
  name: string;
  role: Role;
  language: 'en' | 'th';
  password_hash: string;
  created_at: Date;
  /** set when the account was disabled: no sign-in, its tokens are refused */
  disabled_at: Date | null;
}

export const usersRepository = {
  async findByEmail(q: Queryable, email: string): Promise<UserRow | undefined> {
    const { rows } = await q.query<UserRow>('SELECT * FROM users WHERE lower(email) = lower($1)', [email]);
    return rows[0];
  },

  async findById(q: Queryable, id: string): Promise<UserRow | undefined> {
    const { rows } = await q.query<UserRow>('SELECT * FROM users WHERE id = $1', [id]);
    return rows[0];
  },

  /** True when the account exists and is not disabled (tokens are checked against this). */
  async isActive(q: Queryable, id: string): Promise<boolean> {
    const { rows } = await q.query('SELECT 1 FROM users WHERE id = $1 AND disabled_at IS NULL', [id], 'user_active');
    return rows.length > 0;
  },

  /** Disables the accounts with these emails that are not disabled yet; returns their emails. */
  async disableByEmail(q: Queryable, emails: string[]): Promise<string[]> {
    const { rows } = await q.query<{ email: string }>(
      'UPDATE users SET disabled_at = now() WHERE lower(email) = ANY($1::text[]) AND disabled_at IS NULL RETURNING email',
      [emails.map((e) => e.toLowerCase())],
    );
    return rows.map((r) => r.email);
  },

  /** Inserts unless the email is taken; returns undefined when it is. */
  async insert(q: Queryable, u: { email: string; name: string; role: Role; passwordHash: string; language?: 'en' | 'th' }): Promise<UserRow | undefined> {
    const { rows } = await q.query<UserRow>(
      `INSERT INTO users (email, name, role, password_hash, language) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT ((lower(email))) DO NOTHING RETURNING *`,
      [u.email, u.name, u.role, u.passwordHash, u.language ?? 'en'],
    );
    return rows[0];
  },

  /** Accounts newest first, optionally of one role. */
  async list(q: Queryable, f: { role?: Role; limit: number; offset: number }): Promise<{ rows: UserRow[]; total: number }> {
    const [{ rows }, count] = await Promise.all([
      q.query<UserRow>('SELECT * FROM users WHERE ($1::text IS NULL OR role = $1) ORDER BY created_at DESC, id LIMIT $2 OFFSET $3', [f.role ?? null, f.limit, f.offset]),
      q.query<{ n: number }>('SELECT count(*)::int AS n FROM users WHERE ($1::text IS NULL OR role = $1)', [f.role ?? null]),
    ]);
    return { rows, total: count.rows[0].n };
  },

  async setRoleAndPassword(q: Queryable, id: string, role: Role, passwordHash: string): Promise<void> {
    await q.query('UPDATE users SET role = $2, password_hash = $3 WHERE id = $1', [id, role, passwordHash]);
  },
};
