#!/usr/bin/env -S node --import tsx
/**
 * Generates the published docs from their sources, so they cannot drift from the code:
 *   docs/openapi.json    the OpenAPI document the server serves at /api/docs/json
 *   docs/events.md       every socket.io event with its payload schema (from src/contract/events.ts)
 *   docs/integration.md  its code blocks are copied from `// #region NAME` … `// #endregion` in examples/, and
 *                        its error table comes from the contract's codes and the server's th/en messages
 *   README.md            its production table of environment variables comes from src/config.ts SETTINGS
 * `npm run docs` rewrites them; `npm run docs:check` (and test/docs.test.ts) fails when a committed file is stale.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TSchema } from 'typebox';
import { buildApp } from '../src/app.ts';
import { configTableMarkdown, loadConfig } from '../src/config.ts';
import { ERROR_CODES, ERROR_STATUS, type ErrorCode } from '../src/contract/common.ts';
import { EVENTS, CheckinCountEvent, JoinShowAck, JoinShowPayload, OrderStatusChangedEvent, PaymentStatusChangedEvent, SeatBlockedEvent, SeatBookedEvent, SeatLockedEvent, SeatReleasedEvent, StandingChangedEvent } from '../src/contract/events.ts';
import { errorBody } from '../src/errors.ts';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const DOC_FILES = { openapi: 'docs/openapi.json', events: 'docs/events.md', integration: 'docs/integration.md', readme: 'README.md' } as const;

// ---- OpenAPI ------------------------------------------------------------------------------------

/** The OpenAPI document of the app with its default configuration (the same as GET /api/docs/json). */
export async function openApiJson(): Promise<string> {
  const config = loadConfig(
    { NODE_ENV: 'test', JWT_SECRET: 'docs-build-docs-build-docs-build!', LOG_LEVEL: 'silent' },
    { dataDir: 'memory://', seedDemo: false, host: '127.0.0.1', port: 0 },
  );
  const { app } = await buildApp(config);
  try {
    await app.ready();
    return `${JSON.stringify(app.swagger(), null, 2)}\n`;
  } finally {
    await app.close();
  }
}

// ---- socket events ------------------------------------------------------------------------------

interface EventDoc {
  direction: 'server → client' | 'client → server';
  payload: TSchema;
  ack?: TSchema | string;
  text: string;
}

/** Prose for each event; the payload tables and schemas come from the contract. Every name in EVENTS must be here. */
const EVENT_DOCS: Record<(typeof EVENTS)[keyof typeof EVENTS], EventDoc> = {
  'seat-locked': {
    direction: 'server → client',
    payload: SeatLockedEvent,
    text: 'Seats were locked (held) by `lockedBy` until `expiresAt`. Sent after the lock committed, to sockets that joined the show and to sockets that joined no show.',
  },
  'seat-released': {
    direction: 'server → client',
    payload: SeatReleasedEvent,
    text: 'Seats are AVAILABLE again: the holder or staff released them (`released`), the hold ran out and the expiry sweep freed them (`expired`), their unpaid order ran out of time (`expired`), their order was cancelled (`cancelled`, also when the show was cancelled), or an admin unblocked them (`unblocked`). `lockedBy`/`expiresAt` describe the hold that ended, or are null when there was none (an order\'s seats).',
  },
  'seat-booked': {
    direction: 'server → client',
    payload: SeatBookedEvent,
    text: 'Seats entered an order (PENDING or PAID): they stay BOOKED until the order is cancelled.',
  },
  'seat-blocked': {
    direction: 'server → client',
    payload: SeatBlockedEvent,
    text: 'An admin took AVAILABLE seats of the show off sale (BLOCKED, e.g. a broken seat). Unblocking them is a `seat-released` with reason `unblocked`.',
  },
  'standing-changed': {
    direction: 'server → client',
    payload: StandingChangedEvent,
    text: "The show's standing (general admission) places anyone may take now: after a hold, release, expiry, order, cancel or rebook changed them. Numbered in the show's `seq` with the seat events (apply in seq order; a gap means reload the snapshot, whose `standing.available` matches its `seq`).",
  },
  'order-status-changed': {
    direction: 'server → client',
    payload: OrderStatusChangedEvent,
    text: "An order was created, paid or cancelled. Sent only to the order's owner (a socket authenticated as that user) and to staff/admin sockets, never to anyone else.",
  },
  'checkin-count': {
    direction: 'server → client',
    payload: CheckinCountEvent,
    text: 'A ticket of the show was checked in: how many are in (`admitted`) out of the tickets that can get in (`total`, not revoked). Sent to staff, admin and door sockets after the check-in committed; `GET /api/v1/shows/:showDate/checkin-count` gives the same numbers at any time.',
  },
  'payment-status-changed': {
    direction: 'server → client',
    payload: PaymentStatusChangedEvent,
    text: "A payment of an order changed state (started, succeeded, failed, expired, refund due, refunded). Sent only to the order's owner and to staff/admin sockets, like `order-status-changed`; a payment that pays the order is followed by the order's `order-status-changed` to PAID.",
  },
  'join-show': {
    direction: 'client → server',
    payload: JoinShowPayload,
    ack: JoinShowAck,
    text: "Subscribe to one show's seat events (a socket may join several shows). The acknowledgement carries the show's current `seq`: load the snapshot (`GET /api/v1/shows/:showDate/seats`) and apply only events with a higher `seq`. A bad `showDate` acknowledges with an ErrorBody (`VALIDATION_FAILED`); too many joined shows with `RATE_LIMITED`.",
  },
  'leave-show': {
    direction: 'client → server',
    payload: JoinShowPayload,
    ack: '`{ ok: true, showDate }`, or an ErrorBody (`VALIDATION_FAILED`) for a bad `showDate`.',
    text: 'Stop receiving the show\'s seat events. A socket that has left every show receives the seat events of every show again.',
  },
};

type JsonSchema = {
  type?: string;
  const?: unknown;
  enum?: unknown[];
  anyOf?: JsonSchema[];
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  description?: string;
  example?: unknown;
};

function typeOf(s: JsonSchema): string {
  if (s.const !== undefined) return `\`${JSON.stringify(s.const)}\``;
  if (s.anyOf) return s.anyOf.map(typeOf).join(' \\| ');
  if (s.enum) return s.enum.map((v) => `\`${JSON.stringify(v)}\``).join(' \\| ');
  if (s.type === 'array') return `${typeOf(s.items ?? {})}[]`;
  if (s.type === 'object') return 'object';
  const details = [s.format, s.pattern && `\`${s.pattern}\``, s.maxLength !== undefined && `≤ ${s.maxLength} chars`].filter(Boolean);
  return `${s.type ?? 'any'}${details.length ? ` (${details.join(', ')})` : ''}`;
}

function exampleOf(s: JsonSchema): string {
  const ex = s.example ?? s.items?.example ?? s.anyOf?.find((a) => a.example !== undefined)?.example;
  return ex === undefined ? '' : `\`${JSON.stringify(s.type === 'array' && s.example === undefined ? [ex] : ex)}\``;
}

function fieldTable(schema: TSchema): string {
  const s = schema as unknown as JsonSchema;
  const rows = Object.entries(s.properties ?? {}).map(
    ([name, prop]) => `| \`${name}\` | ${typeOf(prop)} | ${s.required?.includes(name) ? 'yes' : 'no'} | ${exampleOf(prop)} |`,
  );
  return ['| field | type | required | example |', '| --- | --- | --- | --- |', ...rows].join('\n');
}

function jsonSchema(schema: TSchema): string {
  return ['```json', JSON.stringify(schema, null, 2), '```'].join('\n');
}

export function eventsMarkdown(): string {
  const names = Object.values(EVENTS);
  const out: string[] = [
    '# boxoffice socket events',
    '',
    '<!-- Generated by `npm run docs` (scripts/docs-build.ts) from src/contract/events.ts. Do not edit by hand. -->',
    '',
    'socket.io 4 on the same port as the REST API (path `/socket.io`, default namespace). Anyone may connect;',
    'to receive your own `order-status-changed` events, authenticate in the handshake with `auth: { token }`',
    '(the access token from login or register). A bad token is refused with a `connect_error` whose `data` is an',
    'ErrorBody (`UNAUTHENTICATED`). In the SDK, `connectSocket(client)` does this and `ShowLive` applies the seat',
    'events for you ([integration guide](integration.md)).',
    '',
    '**Ordering.** Every seat event carries its show\'s `seq`, which increases by exactly one per seat event of',
    'that show. Apply events in `seq` order on top of a snapshot taken at `seq` N (events with `seq` ≤ N are',
    'already in it). A missing `seq` that does not arrive soon, or any reconnection, means events were lost:',
    'reload the snapshot. Events are sent only after the database transaction commits.',
    '',
    '**Timing.** A seat event of a quiet show leaves at once. On a busy show the events are sent at most every',
    '`REALTIME_BATCH_MS` (40 ms by default), all of them in one network write but each still its own event, so a',
    'thousand open seat maps cost the server a thousand writes per window, not per event. Seat events keep `seq`',
    'order; an `order-status-changed` may therefore arrive a few milliseconds before the `seat-booked` of the same',
    'order. The `seq` in the `join-show` answer is that of the last event already sent to the show.',
    '',
    '**Who receives what.** A socket that joined no show gets seat events of every show; after `join-show` only',
    'those of the joined shows. Order events go only to the order\'s owner and to staff/admin sockets.',
    '',
    '| event | direction | payload |',
    '| --- | --- | --- |',
    ...names.map((n) => `| [\`${n}\`](#${n}) | ${EVENT_DOCS[n].direction} | ${Object.keys((EVENT_DOCS[n].payload as unknown as JsonSchema).properties ?? {}).map((k) => `\`${k}\``).join(', ')} |`),
    '',
  ];
  for (const name of names) {
    const doc = EVENT_DOCS[name];
    out.push(`## ${name}`, '', `*${doc.direction}.* ${doc.text}`, '', fieldTable(doc.payload), '');
    out.push('<details><summary>JSON Schema of the payload</summary>', '', jsonSchema(doc.payload), '', '</details>', '');
    if (doc.ack !== undefined) {
      if (typeof doc.ack === 'string') out.push(`**Acknowledgement:** ${doc.ack}`, '');
      else {
        out.push('**Acknowledgement** (pass a callback as the last argument of `emit`):', '', fieldTable(doc.ack), '');
        out.push('<details><summary>JSON Schema of the acknowledgement</summary>', '', jsonSchema(doc.ack), '', '</details>', '');
      }
    }
  }
  return `${out.join('\n').trimEnd()}\n`;
}

// ---- error table --------------------------------------------------------------------------------

/** What a frontend should do about each error code. Typed by the contract: a new code fails to compile until it is described. */
export const UI_ADVICE: Record<ErrorCode, string> = {
  VALIDATION_FAILED: 'A bug in the request or a form value out of range: show the message, keep the form, log `details` (the failing fields).',
  UNAUTHENTICATED: 'The token is missing or expired: drop it and show the sign-in form, then repeat the action.',
  INVALID_CREDENTIALS: 'Show the message at the sign-in form; do not say which of email or password was wrong.',
  FORBIDDEN: 'The signed-in role may not do this: hide the action for this role.',
  SHOW_NOT_FOUND: 'The show date is wrong or the show was removed: go back to the list of shows.',
  SEAT_NOT_FOUND: 'The seat map is out of date: reload it.',
  ORDER_NOT_FOUND: 'The order does not exist or belongs to someone else: go back to "my orders".',
  NOT_FOUND: 'Wrong path (an outdated client): log it; reload the app.',
  EMAIL_TAKEN: 'Offer to sign in instead, or another email.',
  SEAT_UNAVAILABLE: 'Someone was faster. `details.unavailable` (`err.unavailableSeats`) names the seats: unselect them, show them taken, reload the map. Nothing was locked or ordered (all or nothing).',
  SALES_CLOSED: 'The show is no longer on sale: disable the seat map for it.',
  SHOW_EXISTS: '(admin) A show on that date exists already: open it instead.',
  ORDER_NOT_CANCELLABLE: 'The order is already cancelled, paid (customers) or expired: reload the order and show its status.',
  ORDER_NOT_PAYABLE: '(staff) The order was cancelled or expired: reload it; the customer has to order again.',
  LOCK_LIMIT_EXCEEDED: 'The user holds the most seats allowed (`MAX_SEATS_PER_USER`, seats held plus unpaid orders): ask to release or order some first.',
  IDEMPOTENCY_KEY_REUSED: 'The same Idempotency-Key was sent with different seats: a client bug. Make a new key for each new checkout.',
  PAYMENT_AMOUNT_MISMATCH: '(staff) The amount differs from the order total: correct the amount.',
  PAYLOAD_TOO_LARGE: 'The request body is over the limit (a client bug): log it.',
  RATE_LIMITED: 'The SDK already waited `Retry-After` and retried; if it still fails, ask the user to wait a moment before trying again.',
  SERVICE_UNAVAILABLE: 'The server or its database is down, or (status 0) the network is: the SDK retried what is safe. Show "try again", keep the user\'s selection; watch the health check.',
  INTERNAL: 'A server bug: show the message with `requestId` so support can find the log line; the action may be tried again.',
  SHOW_IN_PAST: '(admin) The date is before today in the venue time zone: pick a later date.',
  STANDING_UNAVAILABLE: 'Fewer standing places are left than asked for (`details.available`): lower the steppers to what is left and say so.',
  NO_ADJACENT_SEATS: 'No block of that many seats side by side is free: offer fewer seats, another zone, or picking seats by hand.',
  REFERRER_NOT_FOUND: 'The referrer (hotel or guide) code is unknown: let the user correct it or leave it empty.',
  PAYMENT_METHOD_UNAVAILABLE: 'This deployment does not take that method (e.g. card without a provider): offer the other methods.',
  PAYMENT_PROVIDER_UNAVAILABLE: 'The payment provider did not answer; nothing was charged or changed: keep the order and let the user try again.',
  PAYMENT_NOT_FOUND: 'The payment does not exist or belongs to another order: reload the order.',
  ORDER_NOT_PAID: 'Tickets exist only for paid orders: show the pay page instead.',
  TICKET_NOT_FOUND: 'The ticket does not exist: reload the order\'s tickets.',
  SLIP_INVALID: 'The file is not a PNG or JPEG of at most 2 MB: ask for another picture of the slip.',
  SLIP_NOT_FOUND: '(staff) The slip does not exist: reload the list of slips.',
  REFUND_EXCEEDS_PAID: '(staff) The refund is more than was paid and not yet refunded (`details`): lower the amount.',
  USER_NOT_FOUND: '(admin) The user does not exist: reload the list of users.',
};

export function errorTableMarkdown(): string {
  const rows = ERROR_CODES.map((code) => {
    const { messages } = errorBody(code, 'en', 'docs');
    return `| \`${code}\` | ${ERROR_STATUS[code]} | ${messages.en} | ${messages.th} | ${UI_ADVICE[code]} |`;
  });
  return ['| code | HTTP | English message | Thai message | what the UI should do |', '| --- | --- | --- | --- | --- |', ...rows].join('\n');
}

// ---- integration guide: snippets from the examples ----------------------------------------------

const FENCE_LANG: Record<string, string> = { '.ts': 'ts', '.tsx': 'tsx', '.vue': 'ts', '.json': 'json', '.html': 'html' };

// Region markers: `// #region NAME` in code, `<!-- #region NAME -->` in templates, `{/* #region NAME */}` in JSX.
const REGION_START = /^\s*(\/\/|<!--|\{\/\*)\s*#region\s+([\w-]+)\s*(?:-->|\*\/\})?\s*$/;
const REGION_END = /^\s*(?:\/\/|<!--|\{\/\*)\s*#endregion\b.*$/;

interface Region {
  code: string;
  /** The fence language: html for a template region, else from the file's extension. */
  lang: string;
}

/** The named regions of a source file, dedented. Throws on unclosed, nested or duplicate regions. */
export function regionsOf(file: string): Map<string, Region> {
  const lines = readFileSync(path.join(ROOT, file), 'utf8').split('\n');
  const regions = new Map<string, Region>();
  let open: { name: string; from: number; lang: string } | undefined;
  lines.forEach((line, i) => {
    const start = REGION_START.exec(line);
    if (start) {
      const [, marker, name] = start;
      if (open) throw new Error(`${file}:${i + 1}: region "${name}" inside region "${open.name}"`);
      if (regions.has(name)) throw new Error(`${file}:${i + 1}: region "${name}" twice`);
      open = { name, from: i + 1, lang: marker === '<!--' ? 'html' : (FENCE_LANG[path.extname(file)] ?? '') };
    } else if (REGION_END.test(line)) {
      if (!open) throw new Error(`${file}:${i + 1}: #endregion without #region`);
      regions.set(open.name, { code: dedent(lines.slice(open.from, i)), lang: open.lang });
      open = undefined;
    }
  });
  if (open) throw new Error(`${file}: region "${open.name}" is not closed`);
  return regions;
}

function dedent(lines: string[]): string {
  const indent = Math.min(...lines.filter((l) => l.trim() !== '').map((l) => /^ */.exec(l)![0].length));
  return lines.map((l) => l.slice(indent)).join('\n').replace(/^\n+|\n+$/g, '');
}

/** `<!-- snippet: path#region -->` … `<!-- /snippet -->` and `<!-- generated: name -->` … `<!-- /generated -->`. */
const SNIPPET = /<!-- snippet: ([^#\s]+)(?:#([\w-]+))? -->\n[\s\S]*?<!-- \/snippet -->/g;
const GENERATED = /<!-- generated: ([\w-]+) -->\n[\s\S]*?<!-- \/generated -->/g;

export interface IntegrationResult {
  text: string;
  /** Every `file#region` the guide shows. */
  used: Set<string>;
}

/** Rewrites every snippet and generated block of the guide from its source. */
export function integrationMarkdown(current: string): IntegrationResult {
  const used = new Set<string>();
  const cache = new Map<string, Map<string, Region>>();
  let text = current.replace(SNIPPET, (_m, file: string, region: string | undefined) => {
    let code: string;
    let lang: string;
    if (region === undefined) {
      code = readFileSync(path.join(ROOT, file), 'utf8').replace(/\n+$/, '');
      lang = FENCE_LANG[path.extname(file)] ?? '';
    } else {
      if (!cache.has(file)) cache.set(file, regionsOf(file));
      const found = cache.get(file)!.get(region);
      if (found === undefined) throw new Error(`docs/integration.md shows ${file}#${region}, but ${file} has no region "${region}"`);
      ({ code, lang } = found);
      used.add(`${file}#${region}`);
    }
    const fence = code.includes('```') ? '````' : '```';
    return `<!-- snippet: ${file}${region ? `#${region}` : ''} -->\n${fence}${lang}\n${code}\n${fence}\n<!-- /snippet -->`;
  });
  text = text.replace(GENERATED, (_m, name: string) => {
    if (name !== 'error-table') throw new Error(`docs/integration.md: unknown generated block "${name}"`);
    return `<!-- generated: ${name} -->\n${errorTableMarkdown()}\n<!-- /generated -->`;
  });
  return { text, used };
}

/** Every `file#region` defined in the examples' sources. */
export function exampleRegions(files: string[]): string[] {
  return files.flatMap((file) => [...regionsOf(file).keys()].map((r) => `${file}#${r}`));
}

// ---- README ---------------------------------------------------------------------------------------

/** README.md with its production table of environment variables regenerated from the config schema (src/config.ts SETTINGS). */
export function readmeMarkdown(current: string): string {
  const block = /<!-- generated: config table ([^>]*)-->[\s\S]*?<!-- \/generated -->/;
  if (!block.test(current)) throw new Error('README.md: the `<!-- generated: config table … -->` block is missing');
  return current.replace(block, (_m, note: string) => `<!-- generated: config table ${note}-->\n${configTableMarkdown()}\n<!-- /generated -->`);
}

// ---- all together -------------------------------------------------------------------------------

/** The fresh content of every generated doc, by path relative to the repository root. */
export async function buildDocs(): Promise<Record<string, string>> {
  const current = readFileSync(path.join(ROOT, DOC_FILES.integration), 'utf8');
  return {
    [DOC_FILES.openapi]: await openApiJson(),
    [DOC_FILES.events]: eventsMarkdown(),
    [DOC_FILES.integration]: integrationMarkdown(current).text,
    [DOC_FILES.readme]: readmeMarkdown(readFileSync(path.join(ROOT, DOC_FILES.readme), 'utf8')),
  };
}

async function main(): Promise<void> {
  const check = process.argv.includes('--check');
  const docs = await buildDocs();
  const stale: string[] = [];
  for (const [file, content] of Object.entries(docs)) {
    const full = path.join(ROOT, file);
    let old: string | undefined;
    try {
      old = readFileSync(full, 'utf8');
    } catch {
      old = undefined;
    }
    if (old === content) continue;
    stale.push(file);
    if (!check) writeFileSync(full, content);
  }
  if (check && stale.length > 0) {
    process.stderr.write(`stale: ${stale.join(', ')}; run \`npm run docs\` and commit the result\n`);
    process.exit(1);
  }
  process.stdout.write(stale.length === 0 ? 'docs are up to date\n' : `${check ? 'stale' : 'wrote'}: ${stale.join(', ')}\n`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  });
}
