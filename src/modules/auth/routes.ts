import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { errors } from '../../contract/common.ts';
import { RegisterBody, LoginBody, AuthResult, MeResult } from '../../contract/auth.ts';
import type { Config } from '../../config.ts';
import { authRateLimit } from '../../plugins/security.ts';
import type { AuthService } from './service.ts';

export const authRoutes: FastifyPluginAsyncTypebox<{ auth: AuthService; config: Config }> = async (app, { auth, config }) => {
  app.post('/api/v1/auth/register', {
    config: authRateLimit(config),
    schema: {
      tags: ['auth'],
      summary: 'Create a customer account',
      description: 'Always creates a customer; staff and admin accounts are made with `npm run create-admin`.',
      body: RegisterBody,
      response: { 201: AuthResult, ...errors(409) },
    },
    handler: async (request, reply) => reply.code(201).send(await auth.register(request.body)),
  });

  app.post('/api/v1/auth/login', {
    config: authRateLimit(config),
    schema: { tags: ['auth'], summary: 'Sign in', body: LoginBody, response: { 200: AuthResult, ...errors(401) } },
    handler: async (request) => auth.login(request.body),
  });

  app.get('/api/v1/auth/me', {
    preHandler: app.authenticate,
    schema: { tags: ['auth'], summary: 'The signed-in user', security: [{ bearerAuth: [] }], response: { 200: MeResult, ...errors(401) } },
    handler: async (request) => ({ user: await auth.me(request.user.sub) }),
  });
};
