import type { ErrorBody, ErrorCode, UnavailableSeat } from '../contract/index.ts';

export type Lang = 'en' | 'th';

/**
 * Every failure of an SDK call. `code` is one of the contract's error codes; `status` is the HTTP status,
 * or 0 when the server could not be reached at all (then `code` is SERVICE_UNAVAILABLE and `cause` holds
 * the network error). `message` is in the client's language; `messages` carries both.
 */
export class BoxofficeError extends Error {
  override readonly name = 'BoxofficeError';
  readonly code: ErrorCode;
  readonly status: number;
  readonly messages: { en: string; th: string };
  readonly details: unknown;
  readonly requestId: string | undefined;
  /** For 429 and 503: how long the server asked to wait before trying again (its Retry-After, ms), when it said. */
  readonly retryAfterMs: number | undefined;

  constructor(init: {
    code: ErrorCode;
    status: number;
    message: string;
    messages: { en: string; th: string };
    details?: unknown;
    requestId?: string;
    retryAfterMs?: number;
    cause?: unknown;
  }) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.code = init.code;
    this.status = init.status;
    this.messages = init.messages;
    this.details = init.details;
    this.requestId = init.requestId;
    this.retryAfterMs = init.retryAfterMs;
  }

  /** The seats named by a 409 SEAT_UNAVAILABLE (empty for any other error). */
  get unavailableSeats(): UnavailableSeat[] {
    if (this.code !== 'SEAT_UNAVAILABLE') return [];
    const list = (this.details as { unavailable?: unknown } | undefined)?.unavailable;
    return Array.isArray(list) ? (list as UnavailableSeat[]) : [];
  }

  /** True when the request never got an answer from the server (offline, DNS, connection refused). */
  get isNetworkError(): boolean {
    return this.status === 0;
  }

  /** The same error with `message` in another language. */
  localized(lang: Lang): string {
    return this.messages[lang] ?? this.message;
  }
}

/** Builds a BoxofficeError from the server's error body; falls back gracefully for non-contract bodies (e.g. a proxy's 502 page). */
export function errorFromResponse(status: number, body: unknown, lang: Lang, requestIdHeader: string | null, retryAfterMs?: number): BoxofficeError {
  if (isErrorBody(body)) {
    return new BoxofficeError({
      retryAfterMs,
      code: body.code as ErrorCode,
      status,
      message: body.messages?.[lang] ?? body.message,
      messages: body.messages ?? { en: body.message, th: body.message },
      details: body.details,
      requestId: body.requestId,
    });
  }
  const code = codeForStatus(status);
  const messages = {
    en: `The server answered with an unexpected error (HTTP ${status}).`,
    th: `เซิร์ฟเวอร์ตอบกลับด้วยข้อผิดพลาดที่ไม่คาดคิด (HTTP ${status})`,
  };
  return new BoxofficeError({ code, status, message: messages[lang], messages, details: body, requestId: requestIdHeader ?? undefined, retryAfterMs });
}

export function networkError(cause: unknown, lang: Lang): BoxofficeError {
  const messages = {
    en: 'Cannot reach the server. Check your connection and try again.',
    th: 'ไม่สามารถเชื่อมต่อเซิร์ฟเวอร์ได้ โปรดตรวจสอบการเชื่อมต่อแล้วลองอีกครั้ง',
  };
  return new BoxofficeError({ code: 'SERVICE_UNAVAILABLE', status: 0, message: messages[lang], messages, cause });
}

function isErrorBody(body: unknown): body is ErrorBody {
  return typeof body === 'object' && body !== null && typeof (body as ErrorBody).code === 'string' && typeof (body as ErrorBody).message === 'string';
}

function codeForStatus(status: number): ErrorCode {
  switch (status) {
    case 400: return 'VALIDATION_FAILED';
    case 401: return 'UNAUTHENTICATED';
    case 403: return 'FORBIDDEN';
    case 404: return 'NOT_FOUND';
    case 413: return 'PAYLOAD_TOO_LARGE';
    case 429: return 'RATE_LIMITED';
    case 502:
    case 503:
    case 504: return 'SERVICE_UNAVAILABLE';
    default: return 'INTERNAL';
  }
}
