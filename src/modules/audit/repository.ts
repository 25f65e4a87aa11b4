import type { Queryable } from '../../db/driver.ts';

export interface AuditRow {
  id: number | string;
  at: Date;
  actor_id: string | null;
  actor_role: string;
  actor_email: string | null;
  action: string;
  entity_type: string;
  entity_id: string;
  before: unknown;
  after: unknown;
  request_id: string | null;
}

export interface AuditFilter {
  entityType?: string;
  entityId?: string;
  actorId?: string;
  /** entityId read as an order code too: the order of that code (full code, decoded as codePrefix does) */
  orderCode?: string;
  /** the actor's email, any case */
  actorEmail?: string;
  action?: string;
  from?: Date;
  to?: Date;
  /** only entries with a smaller id (keyset paging, newest first) */
  beforeId?: string;
  limit: number;
}

export const auditRepository = {
  async insert(
    q: Queryable,
    e: { at: Date | null; actorId: string | null; role: string; action: string; entityType: string; entityId: string; before: unknown; after: unknown; requestId: string | null },
  ): Promise<void> {
    await q.query(
      `INSERT INTO audit_log (at, actor_id, actor_role, action, entity_type, entity_id, before, after, request_id)
       VALUES (coalesce($1, now()), $2, $3, $4, $5, $6, $7, $8, $9)`,
      [e.at, e.actorId, e.role, e.action, e.entityType, e.entityId, e.before === undefined ? null : JSON.stringify(e.before),
        e.after === undefined ? null : JSON.stringify(e.after), e.requestId],
      'audit_insert',
    );
  },

  /**
   * Newest first; keyset on id so a page never repeats or skips an entry while new ones arrive. `entityId` also
   * finds an order's entries by its code (`orderCode`), the actor by id or by email.
   */
  async list(q: Queryable, f: AuditFilter): Promise<AuditRow[]> {
    const { rows } = await q.query<AuditRow>(
      `SELECT a.id::text AS id, a.at, a.actor_id, a.actor_role, u.email AS actor_email, a.action, a.entity_type, a.entity_id,
              a.before, a.after, a.request_id
         FROM audit_log a LEFT JOIN users u ON u.id = a.actor_id
        WHERE ($1::text IS NULL OR a.entity_type = $1)
          AND ($2::text IS NULL OR a.entity_id = $2 OR ($9::text IS NOT NULL AND a.entity_type = 'order' AND a.entity_id = (SELECT o.id::text FROM orders o WHERE o.code = $9)))
          AND ($3::uuid IS NULL OR a.actor_id = $3)
          AND ($4::text IS NULL OR a.action = $4)
          AND ($5::timestamptz IS NULL OR a.at >= $5)
          AND ($6::timestamptz IS NULL OR a.at < $6)
          AND ($7::bigint IS NULL OR a.id < $7)
          AND ($10::text IS NULL OR lower(u.email) = lower($10))
        ORDER BY a.id DESC
        LIMIT $8`,
      [f.entityType ?? null, f.entityId ?? null, f.actorId ?? null, f.action ?? null, f.from ?? null, f.to ?? null, f.beforeId ?? null, f.limit, f.orderCode ?? null, f.actorEmail ?? null],
    );
    return rows;
  },
};
