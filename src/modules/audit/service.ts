import type { Db, Queryable } from '../../db/driver.ts';
import type { Role } from '../../contract/common.ts';
import type { AuditEntry, AuditPage, AuditQuery } from '../../contract/boxoffice.ts';
import type { TokenClaims } from '../auth/service.ts';
import { auditRepository, type AuditRow } from './repository.ts';
import { orderCode } from '../orders/code.ts';

/** Who does a staff or admin action: the signed-in user, and the HTTP request (its id goes into the audit log). */
export type Actor = TokenClaims & { requestId?: string };

/** One audit entry: `action` is `<entity>.<verb>` (e.g. `order.refund`); before/after are JSON snapshots of the entity. */
export interface AuditRecord {
  /** user id of whoever acted; null for the system (sweeper, provider webhooks) */
  actor: string | null;
  role: Role | 'system' | string;
  action: string;
  entityType: string;
  entityId: string;
  before?: unknown;
  after?: unknown;
  requestId?: string;
  /** the application clock's time of the action; the database's now() when omitted */
  at?: Date;
}

/**
 * Appends an entry to the audit log (API.md "Box office, refunds, audit, reports"). Call it with the SAME
 * transaction as the action, so the entry exists exactly when the action committed. The table refuses
 * UPDATE and DELETE (trigger in migration 009), so an entry once written stays as written.
 */
export async function recordAudit(q: Queryable, e: AuditRecord): Promise<void> {
  await auditRepository.insert(q, {
    at: e.at ?? null,
    actorId: e.actor,
    role: e.role,
    action: e.action,
    entityType: e.entityType,
    entityId: e.entityId,
    before: e.before,
    after: e.after,
    requestId: e.requestId ?? null,
  });
}

/** The audit fields of an actor, for spreading into recordAudit's argument. */
export const auditActor = (actor: Actor): Pick<AuditRecord, 'actor' | 'role' | 'requestId'> => ({
  actor: actor.sub,
  role: actor.role,
  requestId: actor.requestId,
});

function toEntry(r: AuditRow): AuditEntry {
  const e: AuditEntry = {
    id: String(r.id),
    at: r.at.toISOString(),
    actorRole: r.actor_role,
    action: r.action,
    entityType: r.entity_type,
    entityId: r.entity_id,
  };
  if (r.actor_id) e.actorId = r.actor_id;
  if (r.actor_email) e.actorEmail = r.actor_email;
  if (r.before !== null) e.before = r.before;
  if (r.after !== null) e.after = r.after;
  if (r.request_id) e.requestId = r.request_id;
  return e;
}

/** Reading the audit log (admin). */
export class AuditService {
  constructor(private readonly db: Db) {}

  /** A page of entries, newest first, filtered; `nextCursor` continues with older entries. */
  async list(query: AuditQuery): Promise<AuditPage> {
    const limit = query.limit ?? 50;
    const rows = await auditRepository.list(this.db, {
      entityType: query.entityType,
      entityId: query.entityId,
      actorId: query.actorId,
      actorEmail: query.actorEmail,
      orderCode: query.entityId ? orderCode(query.entityId) : undefined,
      action: query.action,
      from: query.from ? new Date(query.from) : undefined,
      to: query.to ? new Date(query.to) : undefined,
      beforeId: query.cursor,
      limit: limit + 1,
    });
    const page: AuditPage = { items: rows.slice(0, limit).map(toEntry) };
    if (rows.length > limit) page.nextCursor = String(rows[limit - 1].id);
    return page;
  }
}
