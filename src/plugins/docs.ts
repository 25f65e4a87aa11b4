import fp from 'fastify-plugin';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { ErrorBody } from '../contract/common.ts';

/** OpenAPI 3 document from the route schemas, UI at /api/docs, JSON at /api/docs/json. */
export default fp(
  async (app, opts: { version: string }) => {
    app.addSchema(ErrorBody);
    await app.register(swagger, {
      openapi: {
        openapi: '3.0.3',
        info: {
          title: 'boxoffice API',
          version: opts.version,
          description:
            'Ticket booking with live seat maps. Errors always have the body `ErrorBody`; `message` follows `Accept-Language` (th or en). Realtime events over socket.io on the same port: see docs/events.md.',
        },
        components: {
          securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
        },
        tags: [
          { name: 'auth', description: 'Accounts and tokens' },
          { name: 'catalog', description: 'Shows and seat maps' },
          { name: 'shows', description: 'Show lifecycle (admin): edit, close, reopen, cancel, block seats' },
          { name: 'seats', description: 'Seat locks (holds)' },
          { name: 'orders', description: 'Orders and payments' },
          { name: 'ops', description: 'Health, stats, cleanup, metrics' },
        ],
      },
      refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => String(json.$id ?? `def-${i}`) },
    });
    await app.register(swaggerUi, { routePrefix: '/api/docs', uiConfig: { docExpansion: 'list', deepLinking: true } });
  },
  { name: 'docs' },
);
