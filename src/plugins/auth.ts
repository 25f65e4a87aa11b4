import fp from 'fastify-plugin';
import fastifyJwt from '@fastify/jwt';
import type { FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import type { Role } from '../contract/common.ts';
import type { TokenClaims } from '../modules/auth/service.ts';
import { AppError } from '../errors.ts';

declare module '@fastify/jwt' {
  interface FastifyJWT {
    payload: TokenClaims;
    user: TokenClaims;
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    /** preHandler: 401 UNAUTHENTICATED unless a valid token is sent; 403 FORBIDDEN for door accounts. */
    authenticate: preHandlerAsyncHookHandler;
    /** preHandler: authenticate, then 403 FORBIDDEN unless the user has one of the roles. */
    requireRole(...roles: Role[]): preHandlerAsyncHookHandler;
    /** Verifies a token outside a request (socket handshakes). Throws AppError UNAUTHENTICATED. */
    verifyToken(token: string): TokenClaims;
  }
}

const BEARER = /^Bearer\s/i;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** A user found active is not looked up again for this long (a disabled account's tokens stop within it). */
const ACTIVE_USER_CACHE_MS = 30_000;
const ACTIVE_USER_CACHE_MAX = 10_000;
/** Verified tokens remembered (most recent first) and for how long at most, ms. */
const VERIFIED_TOKEN_CACHE_MAX = 10_000;
const VERIFIED_TOKEN_CACHE_MS = 60_000;

export interface AuthPluginOptions {
  secret: string;
  expiresIn: string;
  /** Whether the token's user still exists and is not disabled (tokens outlive accounts and databases). */
  isActiveUser(id: string): Promise<boolean>;
}

export const isStaff = (role: Role): boolean => role === 'staff' || role === 'admin';

export default fp(
  async (app, opts: AuthPluginOptions) => {
    await app.register(fastifyJwt, {
      secret: opts.secret,
      sign: { algorithm: 'HS256', expiresIn: opts.expiresIn },
      // verified tokens are remembered (fast-jwt's LRU, keyed by a SHA-256 of the token, never past the token's
      // exp): decoding and the HMAC check were ~9 % of the server's CPU on the hold path (bench/RESULTS.md)
      verify: { algorithms: ['HS256'], cache: VERIFIED_TOKEN_CACHE_MAX, cacheTTL: VERIFIED_TOKEN_CACHE_MS },
    });

    const VALID_ROLES: readonly string[] = ['customer', 'staff', 'admin', 'door'];
    /** The global verifier (HS256, expiry), called directly: request.jwtVerify() re-merges options and decodes twice per call. */
    const verifyClaims = (token: string): TokenClaims => {
      try {
        const claims = app.jwt.verify<TokenClaims>(token);
        if (!claims || typeof claims.sub !== 'string' || !UUID.test(claims.sub) || !VALID_ROLES.includes(claims.role)) throw new Error('bad claims');
        return claims;
      } catch {
        throw new AppError('UNAUTHENTICATED');
      }
    };

    /** user id → until when it is known to be active */
    const active = new Map<string, number>();
    const checkActive = async (id: string) => {
      const now = Date.now();
      if ((active.get(id) ?? 0) > now) return;
      if (!(await opts.isActiveUser(id))) {
        active.delete(id);
        throw new AppError('UNAUTHENTICATED');
      }
      if (active.size >= ACTIVE_USER_CACHE_MAX) active.clear();
      active.set(id, now + ACTIVE_USER_CACHE_MS);
    };

    const verifyRequest = async (request: FastifyRequest) => {
      const header = request.headers.authorization;
      if (!header) throw new AppError('UNAUTHENTICATED');
      // "Bearer <token>", exactly as @fastify/jwt reads it
      const parts = BEARER.test(header) ? header.split(' ') : [];
      if (parts.length !== 2 || !parts[1]) throw new AppError('UNAUTHENTICATED');
      const claims = verifyClaims(parts[1]);
      await checkActive(claims.sub);
      request.user = claims;
    };

    // a door account reaches only the routes that name its role (check-in, manifests, its own profile)
    app.decorate('authenticate', async (request: FastifyRequest, _reply: FastifyReply) => {
      await verifyRequest(request);
      if (request.user.role === 'door') throw new AppError('FORBIDDEN');
    });
    app.decorate('requireRole', (...roles: Role[]) => async (request: FastifyRequest, _reply: FastifyReply) => {
      await verifyRequest(request);
      if (!roles.includes(request.user.role)) throw new AppError('FORBIDDEN');
    });
    app.decorate('verifyToken', verifyClaims);
  },
  { name: 'auth' },
);
