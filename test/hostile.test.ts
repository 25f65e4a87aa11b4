import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import fc from 'fast-check';
import { startTestServer, dbTargets, type TestServer, type TestUser } from './helpers/server.ts';
import { call } from './helpers/http.ts';
import { checkInvariants } from './helpers/invariants.ts';

/**
 * Hostile input on every route of the OpenAPI document (routes added later are covered without a change here):
 * wrong types, missing and extra fields, huge strings and arrays, deep JSON, invalid UTF-8, malformed JSON,
 * injection strings, odd numbers, control characters, NUL and lone surrogates, dates out of range, ids that do
 * not exist; and bodies shaped by each route's own schema with some fields made hostile, so they reach the
 * service and the database. Every answer must be a 2xx or a 4xx with the standard error body — never a 5xx —
 * and the server must answer normally afterwards.
 */

const nasty = fc.constantFrom(
  "' OR 1=1 --",
  "'); DROP TABLE orders; --",
  '<script>alert(1)</script>',
  '${jndi:ldap://x}',
  '../../etc/passwd',
  '\u0000',
  '\uFFFF\uD800',
  '🎫'.repeat(50),
  '2026-02-30',
  '9999-99-99',
  '-1',
  '1e309',
  'NaN',
  '00000000-0000-0000-0000-000000000000',
  'a'.repeat(5000),
  '%00',
  '__proto__',
);
/** Characters PostgreSQL cannot store (NUL, lone surrogates) and control characters, alone or inside ordinary text. */
const unsafeChar = fc.constantFrom('\u0000', '\u0001', '\u0007', '\b', '\u001b', '\u007f', '\u0085', '\u009b', '\uD800', '\uDBFF', '\uDC00', '\uDFFF', '\uFFFE', '\u2028', '\r\n');
const controlText = fc.oneof(
  unsafeChar,
  fc.tuple(fc.string({ maxLength: 12 }), unsafeChar, fc.string({ maxLength: 12 })).map(([a, c, b]) => a + c + b),
  fc.array(fc.integer({ min: 0, max: 0x9f }), { minLength: 1, maxLength: 8 }).map((cs) => String.fromCharCode(...cs)),
);
/** Dates PostgreSQL cannot hold or the contract does not support: year 0, before 2000, after 2099, six-digit years. */
const outOfRangeDate = fc.oneof(
  fc.constantFrom('0000-01-01', '0001-01-01', '1899-12-31', '1999-12-31', '2100-01-01', '9999-12-31', '-001-01-01', '20260-01-01', '0000-01-01T00:00:00Z', '9999-12-31T23:59:59Z', '+275760-09-13T00:00:00.000Z', '1970-01-01T00:00:00Z'),
  fc.date({ min: new Date(-8.64e15), max: new Date(8.64e15), noInvalidDate: true }).map((d) => d.toISOString()),
  fc.date({ min: new Date(-8.64e15), max: new Date(8.64e15), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)),
);
const anyString = fc.oneof(nasty, controlText, outOfRangeDate, fc.string({ maxLength: 40 }), fc.string({ unit: 'binary', maxLength: 40 }));
const anyNumber = fc.oneof(fc.integer(), fc.double(), fc.constantFrom(-1, 0, 2 ** 53, -(2 ** 63), 1e308));
const deep = fc.integer({ min: 50, max: 5000 }).map((d) => JSON.parse('['.repeat(Math.min(d, 900)) + ']'.repeat(Math.min(d, 900))));
const jsonish: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }),
  fc.dictionary(fc.constantFrom('showDate', 'seatIds', 'email', 'password', 'name', 'amount', 'method', 'reference', 'reason', 'title', 'customerPhone', '__proto__', 'constructor', 'extra'),
    fc.oneof(anyString, anyNumber, fc.array(anyString, { maxLength: 60 }), fc.constant(null), fc.boolean(), deep)),
  deep,
  fc.array(anyString, { maxLength: 200 }),
);

type Raw = { kind: 'json'; value: unknown } | { kind: 'text'; value: string } | { kind: 'bytes'; value: Uint8Array };
const bodyArb: fc.Arbitrary<Raw> = fc.oneof(
  { weight: 6, arbitrary: jsonish.map((value) => ({ kind: 'json' as const, value })) },
  { weight: 2, arbitrary: fc.constantFrom('{', '{"a":', '[1,2', '{"showDate": "2026-01-01",}', 'null', 'true', '"x"', '{"a":1}{"b":2}').map((value) => ({ kind: 'text' as const, value })) },
  { weight: 2, arbitrary: fc.uint8Array({ minLength: 1, maxLength: 64 }).map((b) => ({ kind: 'bytes' as const, value: Uint8Array.from([0x7b, 0x22, 0xff, 0xfe, ...b]) })) },
);

type Schema = { type?: string; properties?: Record<string, Schema>; required?: string[]; items?: Schema; anyOf?: Schema[]; enum?: unknown[]; format?: string; example?: unknown; minItems?: number; maxItems?: number; minimum?: number; maximum?: number };

/**
 * A body shaped like the route's OpenAPI schema (so it gets past "wrong type" checks and reaches the service and the
 * database), with some of its strings, dates and numbers replaced by hostile ones. `known` fills dates and ids
 * with values that exist (a show, an order).
 */
function fromSchema(schema: Schema, known: { showDate: string; orderId: string }): fc.Arbitrary<unknown> {
  if (schema.anyOf) return fc.oneof(...schema.anyOf.map((x) => fromSchema(x, known)));
  if (schema.enum) return fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...schema.enum) }, { weight: 1, arbitrary: anyString });
  switch (schema.type) {
    case 'object': {
      const props = Object.entries(schema.properties ?? {}).map(([k, v]) => [k, fromSchema(v, known)] as const);
      return fc.record(Object.fromEntries(props), { requiredKeys: schema.required ?? [] });
    }
    case 'array':
      return fc.array(fromSchema(schema.items ?? {}, known), { minLength: schema.minItems ?? 0, maxLength: Math.min(schema.maxItems ?? 4, 4) });
    case 'integer':
    case 'number':
      return fc.oneof({ weight: 3, arbitrary: fc.integer({ min: schema.minimum ?? 0, max: Math.min(schema.maximum ?? 5000, 5000) }) }, { weight: 1, arbitrary: anyNumber });
    case 'boolean':
      return fc.boolean();
    case 'string': {
      const plausible =
        schema.format === 'date' ? known.showDate
        : schema.format === 'date-time' ? new Date().toISOString()
        : schema.format === 'uuid' ? known.orderId
        : schema.format === 'email' ? 'fuzz@example.com'
        : typeof schema.example === 'string' ? schema.example
        : 'Somchai';
      const hostile = schema.format === 'date' || schema.format === 'date-time' ? fc.oneof(outOfRangeDate, controlText) : fc.oneof(controlText, nasty);
      return fc.oneof({ weight: 2, arbitrary: fc.constant(plausible) }, { weight: 2, arbitrary: hostile }, { weight: 1, arbitrary: fc.constant(`${plausible}\u0000`) });
    }
    default:
      return jsonish;
  }
}

/** Every byte percent-encoded (encodeURIComponent throws on lone surrogates, which we want to send too). */
const percentEncode = (v: string) => [...Buffer.from(v, 'utf8')].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('');

/** A raw HTTP request (fetch refuses some of the bytes and headers we want to send). */
function send(url: string, method: string, path: string, headers: Record<string, string>, body?: Buffer): Promise<{ status: number; text: string }> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ agent: false, host: u.hostname, port: u.port, method, path, headers: { ...headers, ...(body ? { 'content-length': String(body.length) } : {}) } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on('error', reject);
    if (body) req.write(body);
    req.end();
  });
}

for (const target of dbTargets()) {
  describe(`hostile input on ${target}`, () => {
    let s: TestServer;
    let customer: TestUser;
    let admin: TestUser;
    let routes: { method: string; path: string; body?: Schema; query: string[] }[];
    let orderId: string;
    before(async () => {
      s = await startTestServer({ target });
      customer = await s.user('customer');
      admin = await s.user('admin');
      const doc = (await call(s.url, 'GET', '/api/docs/json')).body;
      type Op = { parameters?: { in: string; name: string }[]; requestBody?: { content?: Record<string, { schema?: Schema }> } };
      routes = Object.entries<Record<string, Op>>(doc.paths).flatMap(([path, ops]) =>
        Object.entries(ops).map(([m, op]) => ({
          method: m.toUpperCase(),
          path,
          body: op.requestBody?.content?.['application/json']?.schema,
          query: (op.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name),
        })),
      );
      const order = await call(s.url, 'POST', '/api/v1/orders', { body: { showDate: s.showDate, seatIds: ['343'] }, headers: customer.auth });
      assert.equal(order.status, 201, JSON.stringify(order.body));
      orderId = order.body.order.id;
      assert.ok(routes.length >= 15, `only ${routes.length} routes in the OpenAPI document`);
    });
    after(async () => {
      await checkInvariants(s.db);
      await s.close();
    });

    it('answers every generated request on every route with 2xx or 4xx and the standard error body', async () => {
      const problems: string[] = [];
      const known = { showDate: s.showDate, orderId };
      const queryNames = [...new Set(['showDate', 'status', 'page', 'limit', 'x', ...routes.flatMap((r) => r.query)])];
      const shaped = routes.map((r) => (r.body ? fromSchema(r.body, known).map((value) => ({ kind: 'json' as const, value })) : bodyArb));
      await fc.assert(
        fc.asyncProperty(
          // a route, and a body either generic or shaped by that route's schema
          fc.nat({ max: routes.length - 1 }).chain((i) => fc.tuple(fc.constant(i), fc.oneof(bodyArb, shaped[i]))),
          fc.array(fc.oneof({ weight: 4, arbitrary: anyString }, { weight: 1, arbitrary: fc.constantFrom(orderId, s.showDate, '101') }), { minLength: 3, maxLength: 3 }),
          fc.dictionary(fc.constantFrom(...queryNames), fc.oneof(anyString, fc.constant(s.showDate)), { maxKeys: 3 }),
          fc.constantFrom('customer', 'admin', 'none', 'garbage'),
          fc.constantFrom('application/json', 'application/json', 'application/json; charset=latin1', 'text/plain', 'application/x-www-form-urlencoded'),
          async ([which, body], params, query, who, contentType) => {
            const route = routes[which];
            let i = 0;
            const path = route.path.replace(/\{[^}]+\}/g, () => percentEncode(params[i++ % params.length]));
            const qs = new URLSearchParams(query).toString();
            const headers: Record<string, string> = {};
            if (who === 'customer') headers.authorization = `Bearer ${customer.token}`;
            if (who === 'admin') headers.authorization = `Bearer ${admin.token}`;
            if (who === 'garbage') headers.authorization = `Bearer ${params[0].replace(/[^\x21-\x7e]/g, 'x')}`;
            let payload: Buffer | undefined;
            if (route.method !== 'GET') {
              headers['content-type'] = contentType;
              payload = body.kind === 'json' ? Buffer.from(JSON.stringify(body.value) ?? 'null') : body.kind === 'text' ? Buffer.from(body.value) : Buffer.from(body.value);
            }
            const where = `${route.method} ${path.slice(0, 150)}${qs ? `?${qs.slice(0, 100)}` : ''} ${contentType} body=${payload?.toString('utf8').slice(0, 120)}`;
            let res: { status: number; text: string };
            try {
              res = await send(s.url, route.method, qs ? `${path}?${qs}` : path, headers, payload);
            } catch (err) {
              problems.push(`no answer on ${where}: ${(err as Error).message}`);
              return;
            }
            if (res.status >= 500) problems.push(`${res.status} on ${where}: ${res.text.slice(0, 200)}`);
            if (res.status >= 400) {
              let parsed: any;
              try {
                parsed = JSON.parse(res.text);
              } catch {
                problems.push(`non-JSON error on ${where}: ${res.text.slice(0, 100)}`);
                return;
              }
              if (typeof parsed.code !== 'string' || parsed.statusCode !== res.status || typeof parsed.messages?.th !== 'string' || typeof parsed.requestId !== 'string') {
                problems.push(`bad error body on ${where}: ${res.text.slice(0, 200)}`);
              }
              if (/at \w+ \(|node_modules|SELECT |INSERT |UPDATE /.test(res.text)) problems.push(`leaks internals on ${where}: ${res.text.slice(0, 200)}`);
            }
          },
        ),
        { numRuns: Number(process.env.HOSTILE_RUNS ?? 400) },
      );
      assert.equal(problems.length, 0, JSON.stringify(problems.slice(0, 8), null, 1));
    });

    it('still answers normally afterwards', async () => {
      assert.equal((await call(s.url, 'GET', '/api/orders/enhanced/health')).status, 200);
      const lock = await call(s.url, 'POST', '/api/orders/enhanced/seats/lock', { body: { showDate: s.showDate, seatIds: ['101'] }, headers: customer.auth });
      assert.ok([200, 409].includes(lock.status), JSON.stringify(lock.body));
    });
  });
}
