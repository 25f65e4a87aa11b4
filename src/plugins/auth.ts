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
    /** preHandler: 401 UNAUTHENTICATED unless a valid token is sent. */
    authenticate: preHandlerAsyncHookHandler;
    /** preHandler: authenticate, then 403 FORBIDDEN unless the user has one of the roles. */
    requireRole(...roles: Role[]): preHandlerAsyncHookHandler;
    /** Verifies a token outside a request (socket handshakes). Throws AppError UNAUTHENTICATED. */
    verifyToken(token: string): TokenClaims;
  }
}

export const isStaff = (role: Role): boolean => role === 'staff' || role === 'admin';

export default fp(
  async (app, opts: { secret: string; expiresIn: string }) => {
    await app.register(fastifyJwt, {
      secret: opts.secret,
      sign: { algorithm: 'HS256', expiresIn: opts.expiresIn },
      verify: { algorithms: ['HS256'] },
    });

    const verifyRequest = async (request: FastifyRequest) => {
      if (!request.headers.authorization) throw new AppError('UNAUTHENTICATED');
      try {
        await request.jwtVerify();
      } catch {
        throw new AppError('UNAUTHENTICATED');
      }
      const u = request.user;
      if (!u || typeof u.sub !== 'string' || !['customer', 'staff', 'admin'].includes(u.role)) throw new AppError('UNAUTHENTICATED');
    };

    app.decorate('authenticate', async (request: FastifyRequest, _reply: FastifyReply) => verifyRequest(request));
    app.decorate('requireRole', (...roles: Role[]) => async (request: FastifyRequest, _reply: FastifyReply) => {
      await verifyRequest(request);
      if (!roles.includes(request.user.role)) throw new AppError('FORBIDDEN');
    });
    app.decorate('verifyToken', (token: string) => {
      try {
        const claims = app.jwt.verify<TokenClaims>(token);
        if (typeof claims.sub !== 'string' || !['customer', 'staff', 'admin'].includes(claims.role)) throw new Error('bad claims');
        return claims;
      } catch {
        throw new AppError('UNAUTHENTICATED');
      }
    });
  },
  { name: 'auth' },
);
