import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { errors } from '../../contract/common.ts';
import { RegisterBody, LoginBody, AuthResult, MeResult } from '../../contract/auth.ts';
import { CreateUserBody, ListUsersQuery, UserList, UserResult } from '../../contract/users.ts';
import { pickLang } from '../../errors.ts';
import type { Config } from '../../config.ts';
import { authRateLimit } from '../../plugins/security.ts';
import type { AuthService } from './service.ts';

export const authRoutes: FastifyPluginAsyncTypebox<{ auth: AuthService; config: Config }> = async (app, { auth, config }) => {
  app.post('/api/v1/auth/register', {
    config: authRateLimit(config),
    schema: {
      tags: ['auth'],
      summary: 'Create a customer account',
      description: 'Always creates a customer. Mails to them are written in the language of `Accept-Language` (th or en). Staff, door and admin accounts are made by an admin (`POST /api/v1/users`).',
      body: RegisterBody,
      response: { 201: AuthResult, ...errors(409) },
    },
    handler: async (request, reply) => reply.code(201).send(await auth.register(request.body, pickLang(request.headers['accept-language']))),
  });

  app.post('/api/v1/auth/login', {
    config: authRateLimit(config),
    schema: { tags: ['auth'], summary: 'Sign in', body: LoginBody, response: { 200: AuthResult, ...errors(401) } },
    handler: async (request) => auth.login(request.body),
  });

  app.get('/api/v1/auth/me', {
    preHandler: app.requireRole('customer', 'staff', 'admin', 'door'),
    schema: { tags: ['auth'], summary: 'The signed-in user', security: [{ bearerAuth: [] }], response: { 200: MeResult, ...errors(401) } },
    handler: async (request) => ({ user: await auth.me(request.user.sub) }),
  });

  app.post('/api/v1/users', {
    preHandler: app.requireRole('admin'),
    schema: {
      tags: ['users'],
      summary: 'Create a staff, door or admin account (admin)',
      description: 'A door account may only check tickets in and read manifests. An address that has an account → 409 EMAIL_TAKEN.',
      security: [{ bearerAuth: [] }],
      body: CreateUserBody,
      response: { 201: UserResult, ...errors(401, 403, 409) },
    },
    handler: async (request, reply) => reply.code(201).send({ user: await auth.createUser(request.body, { ...request.user, requestId: request.id }) }),
  });

  app.get('/api/v1/users', {
    preHandler: app.requireRole('admin'),
    schema: {
      tags: ['users'],
      summary: 'Accounts, newest first (admin)',
      security: [{ bearerAuth: [] }],
      querystring: ListUsersQuery,
      response: { 200: UserList, ...errors(401, 403) },
    },
    handler: async (request) => auth.listUsers(request.query),
  });
};
