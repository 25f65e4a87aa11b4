import type { Db } from '../../db/driver.ts';
import type { Role } from '../../contract/common.ts';
import type { AuthResult, LoginBody, RegisterBody, User } from '../../contract/auth.ts';
import type { CreateUserBody, ListUsersQuery, UserList } from '../../contract/users.ts';
import { auditActor, recordAudit, type Actor } from '../audit/service.ts';
import { AppError } from '../../errors.ts';
import { hashPassword, verifyPassword, decoyHash } from './password.ts';
import { usersRepository, type UserRow } from './repository.ts';

export interface TokenClaims {
  sub: string;
  role: Role;
  email: string;
  /** expiry, seconds since the epoch: set when the token is signed, present once verified */
  exp?: number;
}

export type SignToken = (claims: TokenClaims) => string;

export function toUser(row: UserRow): User {
  return { id: row.id, email: row.email, name: row.name, role: row.role, language: row.language, createdAt: row.created_at.toISOString() };
}

export class AuthService {
  constructor(
    private readonly db: Db,
    private readonly sign: SignToken,
  ) {}

  private issue(row: UserRow): AuthResult {
    return { user: toUser(row), accessToken: this.sign({ sub: row.id, role: row.role, email: row.email }) };
  }

  /** Self-registration: always a customer; `language` (from Accept-Language) is what their mails are written in. */
  async register(body: RegisterBody, language: 'en' | 'th' = 'en'): Promise<AuthResult> {
    const passwordHash = await hashPassword(body.password);
    const row = await usersRepository.insert(this.db, { email: body.email.trim(), name: body.name.trim(), role: 'customer', passwordHash, language });
    if (!row) throw new AppError('EMAIL_TAKEN');
    return this.issue(row);
  }

  /** An admin creates a staff, door or admin account. 409 EMAIL_TAKEN when the address has an account. */
  async createUser(body: CreateUserBody, actor?: Actor): Promise<User> {
    const passwordHash = await hashPassword(body.password);
    return this.db.tx(async (q) => {
      const row = await usersRepository.insert(q, { email: body.email.trim(), name: body.name.trim(), role: body.role, passwordHash, language: body.language });
      if (!row) throw new AppError('EMAIL_TAKEN');
      const user = toUser(row);
      // the admin who made a staff, door or admin account, in the same transaction (never the password)
      if (actor) await recordAudit(q, { ...auditActor(actor), action: 'user.create', entityType: 'user', entityId: user.id, after: user });
      return user;
    });
  }

  /** Accounts for the admin page, newest first. */
  async listUsers(query: ListUsersQuery): Promise<UserList> {
    const page = query.page ?? 1;
    const limit = query.limit ?? 50;
    const { rows, total } = await usersRepository.list(this.db, { role: query.role, limit, offset: (page - 1) * limit });
    return { items: rows.map(toUser), page, limit, total };
  }

  /** Same work whether or not the email exists, so timing does not tell. */
  async login(body: LoginBody): Promise<AuthResult> {
    const row = await usersRepository.findByEmail(this.db, body.email.trim());
    const ok = await verifyPassword(body.password, row?.password_hash ?? (await decoyHash()));
    if (!row || !ok || row.disabled_at) throw new AppError('INVALID_CREDENTIALS');
    return this.issue(row);
  }

  async me(userId: string): Promise<User> {
    const row = await usersRepository.findById(this.db, userId);
    if (!row) throw new AppError('UNAUTHENTICATED');
    return toUser(row);
  }

  /** Creates the account, or sets the role and password of an existing one (admin CLI, demo seed). */
  async ensureUser(u: { email: string; password: string; name: string; role: Role }): Promise<{ user: User; created: boolean }> {
    const passwordHash = await hashPassword(u.password);
    const inserted = await usersRepository.insert(this.db, { email: u.email, name: u.name, role: u.role, passwordHash });
    if (inserted) return { user: toUser(inserted), created: true };
    const existing = await usersRepository.findByEmail(this.db, u.email);
    if (!existing) throw new Error(`user ${u.email} vanished`);
    await usersRepository.setRoleAndPassword(this.db, existing.id, u.role, passwordHash);
    return { user: { ...toUser(existing), role: u.role }, created: false };
  }
}
