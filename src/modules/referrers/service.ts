import type { Db, Queryable } from '../../db/driver.ts';
import type { Config } from '../../config.ts';
import type { CreateReferrerBody, Referrer } from '../../contract/boxoffice.ts';
import { AppError } from '../../errors.ts';
import { auditActor, recordAudit, type Actor } from '../audit/service.ts';
import { referrersRepository, type ReferrerRow } from './repository.ts';

export function toReferrer(r: ReferrerRow): Referrer {
  return { code: r.code, name: r.name, commissionPerTicket: r.commission_per_ticket, createdAt: r.created_at.toISOString() };
}

/** Codes are typed by people (hotel desks, guides): case does not matter, they are kept in capitals. */
export const normaliseReferrerCode = (code: string): string => code.trim().toUpperCase();

/**
 * The referrer an order is made through, with its commission now: unknown code → 422 REFERRER_NOT_FOUND.
 * Used by online orders and counter sales alike, inside their transaction.
 */
export async function resolveReferrer(q: Queryable, code: string | undefined): Promise<{ code: string; commission: number } | undefined> {
  if (code === undefined) return undefined;
  const found = await referrersRepository.find(q, normaliseReferrerCode(code));
  if (!found) throw new AppError('REFERRER_NOT_FOUND', { referrerCode: code });
  return { code: found.code, commission: found.commission_per_ticket };
}

/** Hotels and tour guides who bring customers, with a commission per ticket (admin manages them). */
export class ReferrersService {
  constructor(
    private readonly db: Db,
    private readonly config: Config,
  ) {}

  /** Adds a referrer; a code already taken → 400 VALIDATION_FAILED with details.reason "taken". */
  async create(actor: Actor, body: CreateReferrerBody): Promise<Referrer> {
    return this.db.tx(async (q) => {
      const now = this.config.clock.now();
      const row = await referrersRepository.insert(q, { code: normaliseReferrerCode(body.code), name: body.name.trim(), commissionPerTicket: body.commissionPerTicket, now });
      if (!row) throw new AppError('VALIDATION_FAILED', { field: 'code', reason: 'taken', code: normaliseReferrerCode(body.code) });
      const referrer = toReferrer(row);
      await recordAudit(q, { ...auditActor(actor), at: now, action: 'referrer.create', entityType: 'referrer', entityId: referrer.code, after: referrer });
      return referrer;
    });
  }

  async list(): Promise<Referrer[]> {
    return (await referrersRepository.list(this.db)).map(toReferrer);
  }
}
