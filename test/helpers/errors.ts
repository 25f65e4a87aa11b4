import assert from 'node:assert/strict';
import { Value } from 'typebox/value';
import { ErrorBody } from '../../src/contract/common.ts';

/** Asserts the standard error body (REST answer or socket ack) with the given status and code. */
export function assertErrorBody(body: any, status: number, code: string): void {
  assert.ok(Value.Check(ErrorBody, body), `not an error body: ${JSON.stringify(body)}`);
  assert.equal(body.statusCode, status);
  assert.equal(body.code, code);
  assert.equal(typeof body.messages.en, 'string');
  assert.equal(typeof body.messages.th, 'string');
  assert.ok(body.message === body.messages.en || body.message === body.messages.th);
  assert.ok(body.requestId.length > 0);
}

/** Asserts a REST error answer: the HTTP status, the standard body, and a UUID request id. */
export function assertError(res: { status: number; body: any }, status: number, code: string): void {
  assert.equal(res.status, status, `expected ${status} ${code}, got ${res.status} ${JSON.stringify(res.body)}`);
  assertErrorBody(res.body, status, code);
  assert.match(res.body.requestId, /^[0-9a-f-]{36}$/);
}
