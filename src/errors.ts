import { randomUUID } from 'node:crypto';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ERROR_STATUS, type ErrorBody, type ErrorCode } from './contract/common.ts';
import { isConnectionBroken } from './db/driver.ts';

export type Lang = 'en' | 'th';

/** User-facing messages, one per code; kept apart from internal log messages. */
function messagesFor(code: ErrorCode): { en: string; th: string } {
  switch (code) {
    case 'VALIDATION_FAILED':
      return { en: 'The request is not valid.', th: 'คำขอไม่ถูกต้อง' };
    case 'UNAUTHENTICATED':
      return { en: 'Please sign in.', th: 'กรุณาเข้าสู่ระบบ' };
    case 'INVALID_CREDENTIALS':
      return { en: 'Wrong email or password.', th: 'อีเมลหรือรหัสผ่านไม่ถูกต้อง' };
    case 'FORBIDDEN':
      return { en: 'You are not allowed to do this.', th: 'คุณไม่มีสิทธิ์ทำรายการนี้' };
    case 'SHOW_NOT_FOUND':
      return { en: 'There is no such show.', th: 'ไม่พบรอบการแสดงนี้' };
    case 'SEAT_NOT_FOUND':
      return { en: 'There is no such seat.', th: 'ไม่พบที่นั่งนี้' };
    case 'ORDER_NOT_FOUND':
      return { en: 'There is no such order.', th: 'ไม่พบคำสั่งซื้อนี้' };
    case 'NOT_FOUND':
      return { en: 'Not found.', th: 'ไม่พบสิ่งที่ร้องขอ' };
    case 'EMAIL_TAKEN':
      return { en: 'This email is already registered.', th: 'อีเมลนี้ถูกใช้ลงทะเบียนแล้ว' };
    case 'SEAT_UNAVAILABLE':
      return { en: 'Some of these seats are no longer available.', th: 'ที่นั่งบางที่ไม่ว่างแล้ว' };
    case 'SALES_CLOSED':
      return { en: 'Ticket sales for this show are closed.', th: 'ปิดการขายบัตรสำหรับรอบนี้แล้ว' };
    case 'SHOW_EXISTS':
      return { en: 'A show on this date already exists.', th: 'มีรอบการแสดงในวันนี้อยู่แล้ว' };
    case 'ORDER_NOT_CANCELLABLE':
      return { en: 'This order can no longer be cancelled.', th: 'ไม่สามารถยกเลิกคำสั่งซื้อนี้ได้แล้ว' };
    case 'ORDER_NOT_PAYABLE':
      return { en: 'This order can no longer be paid.', th: 'ไม่สามารถชำระเงินสำหรับคำสั่งซื้อนี้ได้แล้ว' };
    case 'LOCK_LIMIT_EXCEEDED':
      return { en: 'You are holding the most seats allowed for this show.', th: 'คุณจองที่นั่งครบจำนวนสูงสุดสำหรับรอบนี้แล้ว' };
    case 'IDEMPOTENCY_KEY_REUSED':
      return {
        en: 'This Idempotency-Key was already used for a different request.',
        th: 'Idempotency-Key นี้ถูกใช้กับคำขออื่นไปแล้ว',
      };
    case 'PAYMENT_AMOUNT_MISMATCH':
      return { en: 'The amount paid does not match the order total.', th: 'จำนวนเงินที่ชำระไม่ตรงกับยอดรวมของคำสั่งซื้อ' };
    case 'PAYLOAD_TOO_LARGE':
      return { en: 'The request is too large.', th: 'คำขอมีขนาดใหญ่เกินไป' };
    case 'RATE_LIMITED':
      return { en: 'Too many requests. Please wait a moment.', th: 'มีคำขอมากเกินไป กรุณารอสักครู่' };
    case 'SERVICE_UNAVAILABLE':
      return { en: 'The service is temporarily unavailable. Please try again.', th: 'ระบบไม่พร้อมให้บริการชั่วคราว กรุณาลองใหม่' };
    case 'INTERNAL':
      return { en: 'Something went wrong on our side.', th: 'เกิดข้อผิดพลาดในระบบ' };
    case 'SHOW_IN_PAST':
      return { en: 'This show date is in the past.', th: 'วันที่ของรอบการแสดงนี้ผ่านไปแล้ว' };
    case 'STANDING_UNAVAILABLE':
      return { en: 'Not enough standing places are left for this show.', th: 'บัตรยืนของรอบนี้เหลือไม่พอ' };
    case 'NO_ADJACENT_SEATS':
      return { en: 'There are not enough seats side by side. Try fewer seats or another zone.', th: 'ไม่มีที่นั่งติดกันเพียงพอ ลองลดจำนวนที่นั่งหรือเลือกโซนอื่น' };
    case 'REFERRER_NOT_FOUND':
      return { en: 'There is no such referrer code.', th: 'ไม่พบรหัสผู้แนะนำนี้' };
    case 'PAYMENT_METHOD_UNAVAILABLE':
      return { en: 'This payment method is not available.', th: 'ไม่สามารถใช้วิธีการชำระเงินนี้ได้' };
    case 'PAYMENT_PROVIDER_UNAVAILABLE':
      return { en: 'The payment service cannot be reached right now. Please try again.', th: 'ไม่สามารถติดต่อผู้ให้บริการชำระเงินได้ในขณะนี้ กรุณาลองใหม่' };
    case 'PAYMENT_NOT_FOUND':
      return { en: 'There is no such payment.', th: 'ไม่พบรายการชำระเงินนี้' };
    case 'ORDER_NOT_PAID':
      return { en: 'This order has not been paid yet.', th: 'คำสั่งซื้อนี้ยังไม่ได้ชำระเงิน' };
    case 'TICKET_NOT_FOUND':
      return { en: 'There is no such ticket.', th: 'ไม่พบบัตรนี้' };
    case 'SLIP_INVALID':
      return { en: 'The slip must be a PNG or JPEG image of at most 2 MB.', th: 'สลิปต้องเป็นรูปภาพ PNG หรือ JPEG ขนาดไม่เกิน 2 MB' };
    case 'SLIP_NOT_FOUND':
      return { en: 'There is no such slip.', th: 'ไม่พบสลิปนี้' };
    case 'REFUND_EXCEEDS_PAID':
      return { en: 'The refund is more than what was paid.', th: 'ยอดคืนเงินมากกว่ายอดที่ชำระ' };
    case 'USER_NOT_FOUND':
      return { en: 'There is no such user.', th: 'ไม่พบผู้ใช้นี้' };
    default: {
      const unreachable: never = code;
      throw new Error(`no message for ${String(unreachable)}`);
    }
  }
}

/** The one error type of the service: a contract code, its HTTP status and optional details. */
export class AppError extends Error {
  readonly statusCode: number;
  constructor(
    readonly code: ErrorCode,
    readonly details?: unknown,
    internalMessage?: string,
  ) {
    super(internalMessage ?? code);
    this.name = 'AppError';
    this.statusCode = ERROR_STATUS[code];
  }
}

export function pickLang(acceptLanguage: string | undefined): Lang {
  if (!acceptLanguage) return 'en';
  for (const part of acceptLanguage.split(',')) {
    const tag = part.trim().slice(0, 2).toLowerCase();
    if (tag === 'th') return 'th';
    if (tag === 'en') return 'en';
  }
  return 'en';
}

export function errorBody(code: ErrorCode, lang: Lang, requestId: string, details?: unknown): ErrorBody {
  const messages = messagesFor(code);
  const body: ErrorBody = { statusCode: ERROR_STATUS[code], code, message: messages[lang], messages, requestId };
  if (details !== undefined) body.details = details;
  return body;
}

/**
 * Postgres/driver errors that mean "the database cannot answer this now", not a bug: a connection that broke or was
 * never made (isConnectionBroken, src/db/driver.ts: unreachable, reset, no answer in time), a busy pool with no
 * connection free in time, or the session's own limits: a lock not obtained in time
 * (55P03), a statement cancelled at its time limit (57014), a session ended while idle in a transaction
 * (25P03), and deadlock or serialization failures (40P01, 40001). All answer 503 with Retry-After.
 */
const UNAVAILABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', '57P01', '57P02', '57P03', '08000', '08003', '08006', '08001', '08004', '53300', '55P03', '57014', '25P03', '40P01', '40001']);
function isDatabaseUnavailable(err: unknown): boolean {
  const e = err as { code?: string; message?: string };
  if (!e || typeof e !== 'object') return false;
  if (UNAVAILABLE_CODES.has(e.code ?? '')) return true;
  return isConnectionBroken(err) || /timeout exceeded when trying to connect/i.test(e.message ?? '');
}

/** Maps anything thrown to a contract code; unknown errors become INTERNAL and are logged, never shown. */
export function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  const fe = err as FastifyError & { validation?: unknown[]; validationContext?: string };
  if (fe?.validation) {
    return new AppError('VALIDATION_FAILED', {
      context: fe.validationContext,
      errors: fe.validation.map((v) => {
        const issue = v as { instancePath?: string; message?: string; keyword?: string; params?: unknown };
        return { path: issue.instancePath || '/', message: issue.message, keyword: issue.keyword, params: issue.params };
      }),
    });
  }
  if (isDatabaseUnavailable(err)) return new AppError('SERVICE_UNAVAILABLE');
  switch (fe?.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new AppError('PAYLOAD_TOO_LARGE');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_VALIDATION':
      return new AppError('VALIDATION_FAILED', { reason: fe.message });
    case 'FST_JWT_NO_AUTHORIZATION_IN_HEADER':
    case 'FST_JWT_AUTHORIZATION_TOKEN_EXPIRED':
    case 'FST_JWT_AUTHORIZATION_TOKEN_INVALID':
    case 'FST_JWT_AUTHORIZATION_TOKEN_UNTRUSTED':
    case 'FST_JWT_BAD_REQUEST':
    case 'FST_JWT_BAD_COOKIE_REQUEST':
      return new AppError('UNAUTHENTICATED');
  }
  if (fe?.statusCode === 400 && (err as SyntaxError) instanceof SyntaxError) return new AppError('VALIDATION_FAILED', { reason: 'malformed JSON' });
  if (fe?.statusCode === 413) return new AppError('PAYLOAD_TOO_LARGE');
  if (fe?.statusCode === 429) return new AppError('RATE_LIMITED');
  if (fe?.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) return new AppError('VALIDATION_FAILED', { reason: fe.message });
  return new AppError('INTERNAL', undefined, (err as Error)?.message);
}

export function sendError(request: FastifyRequest, reply: FastifyReply, err: unknown): FastifyReply {
  const appErr = toAppError(err);
  if (appErr.code === 'INTERNAL') request.log.error({ err }, 'unhandled error');
  else if (appErr.code === 'SERVICE_UNAVAILABLE') request.log.warn({ err }, 'database unavailable');
  if (appErr.code === 'SERVICE_UNAVAILABLE' && !reply.hasHeader('retry-after')) reply.header('retry-after', '1');
  const body = errorBody(appErr.code, pickLang(request.headers['accept-language']), String(request.id), appErr.details);
  return reply.code(appErr.statusCode).type('application/json; charset=utf-8').send(body);
}

/**
 * One error handler and one not-found handler for the whole app. With `spaFallback`, a browser GET of
 * an unknown non-API path gets the web app's index.html (the web app routes on the client).
 */
export function registerErrorHandling(app: FastifyInstance, opts: { spaFallback?: boolean } = {}): void {
  app.setErrorHandler((err, request, reply) => sendError(request, reply, err));
  app.setNotFoundHandler((request, reply) => {
    const wantsHtml = request.method === 'GET' && !request.url.startsWith('/api') && (request.headers.accept ?? '').includes('text/html');
    if (opts.spaFallback && wantsHtml) return reply.type('text/html').sendFile('index.html');
    return sendError(request, reply, new AppError('NOT_FOUND', { method: request.method, url: request.url.split('?')[0] }));
  });
}

/**
 * Errors Node's HTTP parser raises before Fastify sees a request (headers or URL over 16 KiB, garbage
 * that is not HTTP, a request that did not arrive in time): answered on the raw socket, in the standard
 * body, then the connection is closed.
 */
export function answerClientError(err: NodeJS.ErrnoException, socket: Socket): void {
  if (err.code === 'ECONNRESET' || socket.destroyed || !socket.writable) return;
  const code: ErrorCode = err.code === 'HPE_HEADER_OVERFLOW' ? 'PAYLOAD_TOO_LARGE' : 'VALIDATION_FAILED';
  const reason = err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 'the request did not arrive in time' : err.code === 'HPE_HEADER_OVERFLOW' ? 'headers or URL too large' : 'malformed HTTP request';
  const body = JSON.stringify(errorBody(code, 'en', randomUUID(), { reason }));
  const status = ERROR_STATUS[code];
  socket.end(
    `HTTP/1.1 ${status} ${status === 413 ? 'Payload Too Large' : 'Bad Request'}\r\nContent-Type: application/json; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

/** The SQLSTATE with which the booking core's SQL functions (src/db/functions/) raise an API error. */
export const SQL_APP_ERROR = 'BO001';

/**
 * An API error raised by a SQL function (SQLSTATE BO001, message = the error code, detail = its details as JSON)
 * as the AppError it stands for; any other error unchanged. The function raised, so its statement wrote nothing.
 */
export function fromSqlError(err: unknown): unknown {
  const e = err as { code?: string; message?: string; detail?: string } | undefined;
  if (e?.code !== SQL_APP_ERROR || !e.message || !Object.hasOwn(ERROR_STATUS, e.message)) return err;
  return new AppError(e.message as ErrorCode, e.detail ? JSON.parse(e.detail) : undefined);
}
