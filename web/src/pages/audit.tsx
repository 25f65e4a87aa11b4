/** @jsxImportSource preact */
import { useEffect, useState } from 'preact/hooks';
import type { AuditEntry } from '../../../src/client/index.ts';
import { client, useSession } from '../session.ts';
import { formatTime } from '../i18n.ts';
import { ErrorBox } from '../widgets.tsx';
import { StaffNav, wordsFor } from '../staff-nav.tsx';

const WORDS = {
  title: { en: 'Audit log', th: 'บันทึกการใช้งาน' },
  filters: { en: 'Filters', th: 'ตัวกรอง' },
  entityType: { en: 'Entity type', th: 'ประเภท' },
  any: { en: 'Any', th: 'ทั้งหมด' },
  entityId: { en: 'Order code, or an id (order, show date…)', th: 'รหัสคำสั่งซื้อ หรือรหัสรายการ (คำสั่งซื้อ วันที่รอบ…)' },
  actorId: { en: 'Actor (email or user id)', th: 'ผู้กระทำ (อีเมลหรือรหัสผู้ใช้)' },
  from: { en: 'From', th: 'ตั้งแต่' },
  to: { en: 'Until', th: 'ถึง' },
  apply: { en: 'Show', th: 'แสดง' },
  more: { en: 'Older entries', th: 'รายการก่อนหน้า' },
  none: { en: 'No entries match.', th: 'ไม่มีรายการที่ตรงกัน' },
  end: { en: 'That is all.', th: 'แสดงครบแล้ว' },
  when: { en: 'When', th: 'เมื่อ' },
  who: { en: 'Who', th: 'ผู้กระทำ' },
  action: { en: 'Action', th: 'การกระทำ' },
  entity: { en: 'Entity', th: 'รายการ' },
  changes: { en: 'Changes', th: 'การเปลี่ยนแปลง' },
  created: { en: 'created', th: 'สร้างใหม่' },
  noChange: { en: 'no field changed', th: 'ไม่มีการเปลี่ยนแปลง' },
  request: { en: 'request {id}', th: 'คำขอ {id}' },
  badActor: { en: 'An actor is an email address or a user id (36 characters).', th: 'ผู้กระทำต้องเป็นอีเมลหรือรหัสผู้ใช้ (36 ตัวอักษร)' },
  badPeriod: { en: 'The end is before the start.', th: 'เวลาสิ้นสุดอยู่ก่อนเวลาเริ่มต้น' },
  order: { en: 'order', th: 'คำสั่งซื้อ' },
  show: { en: 'show', th: 'รอบ' },
  payment: { en: 'payment', th: 'การชำระเงิน' },
  slip: { en: 'slip', th: 'สลิป' },
  user: { en: 'user', th: 'ผู้ใช้' },
  ticket: { en: 'ticket', th: 'ตั๋ว' },
  referrer: { en: 'referrer', th: 'ผู้แนะนำ' },
  seats: { en: 'seats', th: 'ที่นั่ง' },
} as const;

/** Audit actions in words (the raw `<entity>.<verb>` stays in the row's title and data-action). */
const ACTIONS: Record<string, { en: string; th: string }> = {
  'order.box-office-sale': { en: 'Counter sale', th: 'ขายหน้าเคาน์เตอร์' },
  'order.payment': { en: 'Payment recorded', th: 'บันทึกการชำระเงิน' },
  'order.refund': { en: 'Refund', th: 'คืนเงิน' },
  'order.cancel': { en: 'Order cancelled', th: 'ยกเลิกคำสั่งซื้อ' },
  'order.cancel-items': { en: 'Some tickets cancelled', th: 'ยกเลิกบางรายการ' },
  'seats.block': { en: 'Seats blocked', th: 'ปิดที่นั่ง' },
  'seats.unblock': { en: 'Seats unblocked', th: 'เปิดที่นั่ง' },
  'show.create': { en: 'Show opened', th: 'เปิดรอบ' },
  'show.update': { en: 'Show changed', th: 'แก้ไขรอบ' },
  'show.cancel': { en: 'Show cancelled', th: 'ยกเลิกรอบ' },
  'slip.approve': { en: 'Slip approved', th: 'อนุมัติสลิป' },
  'slip.reject': { en: 'Slip rejected', th: 'ปฏิเสธสลิป' },
  'ticket.forced-checkin': { en: 'Check-in forced', th: 'บังคับเช็กอิน' },
  'user.create': { en: 'Account created', th: 'สร้างบัญชี' },
  'referrer.create': { en: 'Referrer added', th: 'เพิ่มผู้แนะนำ' },
};

const ENTITY_TYPES = ['order', 'show', 'payment', 'slip', 'user', 'ticket', 'referrer'] as const;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const EMAIL = /^[^\s@]+@[^\s@]+$/;

interface Filters {
  entityType?: string;
  entityId?: string;
  actorId?: string;
  actorEmail?: string;
  from?: string;
  to?: string;
}

/** A datetime-local value (the browser's zone) as an ISO instant, or undefined when empty. */
const instant = (v: string) => (v ? new Date(v).toISOString() : undefined);

/** #/audit (admin): who did what and when, filtered, newest first, page by page (cursor), before → after per field. */
export function AuditPage() {
  const session = useSession();
  const w = wordsFor(WORDS, session.lang);
  const [entityType, setEntityType] = useState('');
  const [entityId, setEntityId] = useState('');
  const [actorId, setActorId] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [problem, setProblem] = useState<string | undefined>(undefined);
  const [entries, setEntries] = useState<AuditEntry[] | undefined>(undefined);
  const [cursor, setCursor] = useState<string | undefined>(undefined);
  const [filters, setFilters] = useState<Filters>({});
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);

  const load = async (f: Filters, after?: string) => {
    setBusy(true);
    setError(undefined);
    try {
      const page = await client.audit({ ...f, cursor: after, limit: 50 });
      setEntries((old) => (after ? [...(old ?? []), ...page.items] : page.items));
      setCursor(page.nextCursor);
      setFilters(f);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  useEffect(() => void load({}), []);

  return (
    <section class="audit-page" aria-labelledby="audit-title">
      <StaffNav />
      <h1 id="audit-title">{w('title')}</h1>
      <form
        class="card"
        aria-label={w('filters')}
        onSubmit={(e) => {
          e.preventDefault();
          const actor = actorId.trim();
          const byEmail = EMAIL.test(actor);
          if (actor && !UUID.test(actor) && !byEmail) return setProblem(w('badActor'));
          if (from && to && from > to) return setProblem(w('badPeriod'));
          setProblem(undefined);
          void load({
            entityType: entityType || undefined,
            entityId: entityId.trim() || undefined,
            ...(actor ? (byEmail ? { actorEmail: actor } : { actorId: actor }) : {}),
            from: instant(from),
            to: instant(to),
          });
        }}
      >
        <div class="field-row">
          <label>
            {w('entityType')}
            <select data-testid="audit-entity-type" value={entityType} onChange={(e) => setEntityType(e.currentTarget.value)}>
              <option value="">{w('any')}</option>
              {ENTITY_TYPES.map((t) => (
                <option key={t} value={t}>{w(t)}</option>
              ))}
            </select>
          </label>
          <label>
            {w('entityId')}
            <input data-testid="audit-entity-id" value={entityId} maxLength={100} spellcheck={false} onInput={(e) => setEntityId(e.currentTarget.value)} />
          </label>
          <label>
            {w('actorId')}
            <input data-testid="audit-actor" value={actorId} maxLength={254} spellcheck={false} autoComplete="off" onInput={(e) => setActorId(e.currentTarget.value)} />
          </label>
        </div>
        <div class="field-row">
          <label>
            {w('from')}
            <input type="datetime-local" value={from} onInput={(e) => setFrom(e.currentTarget.value)} />
          </label>
          <label>
            {w('to')}
            <input type="datetime-local" value={to} onInput={(e) => setTo(e.currentTarget.value)} />
          </label>
          <button class="primary" type="submit" data-testid="audit-apply" disabled={busy}>{w('apply')}</button>
        </div>
        {problem && <p class="field-error" role="alert">{problem}</p>}
      </form>
      {error !== undefined && <ErrorBox error={error} onRetry={() => void load(filters)} />}
      {entries === undefined && busy && <div class="skeleton skeleton-block" aria-busy="true" />}
      {entries && entries.length === 0 && <p class="muted">{w('none')}</p>}
      {entries && entries.length > 0 && (
        <div class="card table-scroll">
          <table class="data-table audit-table" data-testid="audit-table">
            <thead>
              <tr><th>{w('when')}</th><th>{w('who')}</th><th>{w('action')}</th><th>{w('entity')}</th><th>{w('changes')}</th></tr>
            </thead>
            <tbody>
              {entries.map((e) => (
                <tr key={e.id} data-testid="audit-entry" data-action={e.action} data-entity-id={e.entityId}>
                  <td>{formatTime(session.lang, e.at)}</td>
                  <td>
                    {e.actorEmail ?? e.actorId ?? '—'}
                    <br />
                    <span class="muted">{e.actorRole}</span>
                  </td>
                  <td title={e.action} data-testid="audit-action">{ACTIONS[e.action]?.[session.lang] ?? e.action}</td>
                  <td>
                    {e.entityType in WORDS ? w(e.entityType as keyof typeof WORDS) : e.entityType}
                    <br />
                    <code>{e.entityId}</code>
                  </td>
                  <td>
                    <Changes before={e.before} after={e.after} w={w} />
                    {e.requestId && <div class="muted small-print">{w('request', { id: e.requestId })}</div>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <p>
            {cursor ? (
              <button type="button" data-testid="audit-more" disabled={busy} onClick={() => void load(filters, cursor)}>{w('more')}</button>
            ) : (
              <span class="muted">{w('end')}</span>
            )}
          </p>
        </div>
      )}
    </section>
  );
}

/** A short text of a JSON value (arrays of seats and objects shortened). */
function show(v: unknown): string {
  if (v === undefined || v === null) return '—';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return v.map((x) => (x && typeof x === 'object' && 'seatId' in x ? String((x as { seatId: unknown }).seatId) : show(x))).join(', ') || '[]';
  const text = JSON.stringify(v);
  return text.length > 120 ? `${text.slice(0, 117)}…` : text;
}

/**
 * The entity in an entry's `after`, comparable with its `before`: refund entries written before the order and the
 * refund were side by side (`after` = { order, refund }, rows that are never rewritten) read as the order plus a
 * `refund` field, as newer ones are written.
 */
function comparableAfter(before: Record<string, unknown> | undefined, after: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  if (after && before && !('order' in before) && after.order && typeof after.order === 'object' && 'refund' in after) {
    return { ...(after.order as Record<string, unknown>), refund: after.refund };
  }
  return after;
}

/** The fields that differ between before and after, as "field: before → after"; a new entity lists its fields. */
function Changes({ before, after, w }: { before: unknown; after: unknown; w: ReturnType<typeof wordsFor<typeof WORDS>> }) {
  const b = before && typeof before === 'object' ? (before as Record<string, unknown>) : undefined;
  const a = comparableAfter(b, after && typeof after === 'object' ? (after as Record<string, unknown>) : undefined);
  if (!b && !a) return <span class="muted">—</span>;
  const keys = [...new Set([...Object.keys(b ?? {}), ...Object.keys(a ?? {})])].filter((k) => JSON.stringify(b?.[k]) !== JSON.stringify(a?.[k]));
  if (keys.length === 0) return <span class="muted">{w('noChange')}</span>;
  return (
    <details>
      <summary>{b ? keys.slice(0, 4).join(', ') + (keys.length > 4 ? '…' : '') : w('created')}</summary>
      <dl class="changes">
        {keys.map((k) => (
          <div key={k}>
            <dt>{k}</dt>
            <dd>{b ? <><del>{show(b[k])}</del> → <ins>{show(a?.[k])}</ins></> : show(a?.[k])}</dd>
          </div>
        ))}
      </dl>
    </details>
  );
}
