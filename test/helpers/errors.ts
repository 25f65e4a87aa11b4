import assert from 'node:assert/strict';

/** Asserts the standard error body with the given status and code. */
export function assertError(res: { status: number; body: any }, status: number, code: string): void {
  assert.equal(res.status, status, `expected ${status} ${code}, got ${res.status} ${JSON.stringify(res.body)}`);
  assert.equal(res.body.code, code);
  assert.equal(res.body.statusCode, status);
  assert.equal(typeof res.body.message, 'string');
  assert.equal(typeof res.body.messages?.en, 'string');
  assert.equal(typeof res.body.messages?.th, 'string');
  assert.match(res.body.requestId, /^[0-9a-f-]{36}$/);
}
