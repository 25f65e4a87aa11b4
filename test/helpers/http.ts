import assert from 'node:assert/strict';

/** A JSON request against a listening test server; returns status, headers and parsed body. */
export async function call<T = any>(
  baseUrl: string,
  method: string,
  path: string,
  opts: { body?: unknown; headers?: Record<string, string>; rawBody?: string } = {},
): Promise<{ status: number; body: T; headers: Headers }> {
  const headers: Record<string, string> = { ...opts.headers };
  let body: string | undefined = opts.rawBody;
  if (opts.body !== undefined) {
    body = JSON.stringify(opts.body);
    headers['content-type'] ??= 'application/json';
  }
  // a test never hangs on a server that does not answer
  const res = await fetch(baseUrl + path, { method, headers, body, signal: AbortSignal.timeout(60_000) });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON (e.g. /metrics)
  }
  return { status: res.status, body: parsed as T, headers: res.headers };
}

/** Passes the answer through when it has the expected status; fails showing the body otherwise. */
export function ok<T extends { status: number; body: any }>(res: T, status = 200): T {
  assert.equal(res.status, status, JSON.stringify(res.body));
  return res;
}
