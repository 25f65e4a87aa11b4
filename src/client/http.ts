import { BoxofficeError, errorFromResponse, networkError, type Lang } from './errors.ts';

/** How the SDK retries. Only answers that prove nothing happened (429, 503) and network failures are retried. */
export interface RetryPolicy {
  /** Attempts in total, the first one included. */
  maxAttempts: number;
  /** Backoff before the 2nd attempt; doubles for each further attempt. */
  baseDelayMs: number;
  /** Upper bound of one backoff delay. */
  maxDelayMs: number;
  /** A 429 asking to wait longer than this is not retried: the error goes to the caller at once. */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 3, baseDelayMs: 200, maxDelayMs: 5_000, maxRetryAfterMs: 30_000 };

/** Injectable effects, so tests run without real time or randomness. */
export interface HttpEnv {
  fetch: typeof fetch;
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Uniform in [0, 1), like Math.random. */
  random: () => number;
}

export interface HttpRequest {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  /** a multipart body instead of JSON (the browser sets its content type with the boundary) */
  formData?: FormData;
  headers?: Record<string, string>;
  /**
   * Whether repeating the request can never do harm (reads, lock/release, an order with an Idempotency-Key).
   * Network errors and 503 are retried only then; 429 is always retried, since the server refused before doing anything.
   */
  idempotent: boolean;
  /** Answer statuses to hand back as data instead of throwing (the health check's 503 'degraded' body). */
  acceptStatus?: number[];
  /** `blob`: the answer's bytes as a Blob (a PDF) instead of parsed JSON; errors are still read as JSON. */
  responseType?: 'blob';
  signal?: AbortSignal;
}

export interface HttpClientOptions {
  baseUrl: string;
  getToken: () => string | undefined;
  getLang: () => Lang;
  env: HttpEnv;
  retry: RetryPolicy;
  /** Told the server clock's lead over ours (ms) whenever an answer carries a Date header. */
  onServerTime?: (offsetMs: number) => void;
}

export function defaultSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Delay before attempt number `attempt + 1` (attempt counts from 1): exponential backoff with "equal jitter",
 * i.e. somewhere between half and all of base·2^(attempt-1), so many clients do not retry in lockstep.
 */
export function backoffDelay(attempt: number, policy: RetryPolicy, random: () => number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

/** `Retry-After` as milliseconds: either delta-seconds or an HTTP date. Undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(value.trim())) return Math.round(Number(value) * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

export class HttpClient {
  private readonly opts: HttpClientOptions;

  constructor(opts: HttpClientOptions) {
    this.opts = opts;
  }

  url(path: string, query?: HttpRequest['query']): string {
    const base = this.opts.baseUrl.replace(/\/+$/, '');
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query ?? {})) {
      if (value !== undefined) params.set(key, String(value));
    }
    const qs = params.toString();
    return `${base}${path}${qs ? `?${qs}` : ''}`;
  }

  /** Sends the request, retrying what is safe to retry, and returns the parsed JSON body. */
  async request<T>(req: HttpRequest): Promise<T> {
    const { env, retry } = this.opts;
    for (let attempt = 1; ; attempt++) {
      const outcome = await this.attempt<T>(req);
      if (outcome.ok) return outcome.value;

      const { error, retryAfterMs } = outcome;
      const retryable =
        error.status === 429 || ((error.status === 503 || error.isNetworkError) && req.idempotent);
      if (!retryable || attempt >= retry.maxAttempts || req.signal?.aborted) throw error;

      let delay = backoffDelay(attempt, retry, env.random);
      if (retryAfterMs !== undefined) {
        if (retryAfterMs > retry.maxRetryAfterMs) throw error;
        delay = retryAfterMs;
      }
      await env.sleep(delay, req.signal);
    }
  }

  private async attempt<T>(
    req: HttpRequest,
  ): Promise<{ ok: true; value: T } | { ok: false; error: BoxofficeError; retryAfterMs?: number }> {
    const lang = this.opts.getLang();
    const headers: Record<string, string> = { accept: req.responseType === 'blob' ? '*/*' : 'application/json', 'accept-language': lang, ...req.headers };
    const token = this.opts.getToken();
    if (token) headers.authorization = `Bearer ${token}`;
    if (req.body !== undefined) headers['content-type'] = 'application/json';

    let res: Response;
    const sentAt = Date.now();
    try {
      res = await this.opts.env.fetch(this.url(req.path, req.query), {
        method: req.method,
        headers,
        body: req.formData ?? (req.body === undefined ? undefined : JSON.stringify(req.body)),
        signal: req.signal,
      });
    } catch (cause) {
      if (req.signal?.aborted) throw cause;
      return { ok: false, error: networkError(cause, lang) };
    }

    const serverDate = Date.parse(res.headers.get('date') ?? '');
    if (!Number.isNaN(serverDate) && this.opts.onServerTime) {
      // Date has whole seconds: on average the true time is half a second later.
      this.opts.onServerTime(serverDate + 500 - (sentAt + Date.now()) / 2);
    }
    if (res.ok && req.responseType === 'blob') return { ok: true, value: (await res.blob()) as T };
    const body = await readBody(res);
    if (res.ok || req.acceptStatus?.includes(res.status)) return { ok: true, value: body as T };
    const retryAfterMs = res.status === 429 || res.status === 503 ? parseRetryAfter(res.headers.get('retry-after')) : undefined;
    return { ok: false, error: errorFromResponse(res.status, body, lang, res.headers.get('x-request-id'), retryAfterMs), retryAfterMs };
  }
}

async function readBody(res: Response): Promise<unknown> {
  const text = await res.text().catch(() => '');
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
