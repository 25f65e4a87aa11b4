/** @jsxImportSource preact */
import { useState } from 'preact/hooks';
import { BoxofficeError } from '../../../src/client/index.ts';
import { client, useSession } from '../session.ts';
import { useLoad } from '../hooks.ts';
import { formatMoney, formatTime } from '../i18n.ts';
import { ErrorBox, TableScroll } from '../widgets.tsx';
import { StaffNav, wordsFor } from '../staff-nav.tsx';

const WORDS = {
  title: { en: 'Referrers', th: 'ผู้แนะนำ' },
  intro: { en: 'Hotels and tour guides who bring customers. Orders and counter sales take their code; they earn a commission per ticket.', th: 'โรงแรมและไกด์ที่แนะนำลูกค้า คำสั่งซื้อและการขายหน้าเคาน์เตอร์ใส่รหัสได้ และได้รับค่าคอมมิชชันต่อใบ' },
  create: { en: 'New referrer', th: 'เพิ่มผู้แนะนำ' },
  code: { en: 'Code', th: 'รหัส' },
  codeHint: { en: '2–32 letters, digits, dashes or underscores; stored in capitals', th: 'ตัวอักษร ตัวเลข ขีด หรือขีดล่าง 2–32 ตัว เก็บเป็นตัวพิมพ์ใหญ่' },
  name: { en: 'Name', th: 'ชื่อ' },
  commission: { en: 'Commission per ticket (THB)', th: 'ค่าคอมมิชชันต่อใบ (บาท)' },
  add: { en: 'Add referrer', th: 'เพิ่ม' },
  added: { en: 'Referrer {code} added.', th: 'เพิ่มผู้แนะนำ {code} แล้ว' },
  taken: { en: 'The code {code} is already used by another referrer.', th: 'รหัส {code} มีผู้แนะนำรายอื่นใช้แล้ว' },
  list: { en: 'All referrers', th: 'ผู้แนะนำทั้งหมด' },
  none: { en: 'No referrers yet.', th: 'ยังไม่มีผู้แนะนำ' },
  since: { en: 'Added', th: 'เพิ่มเมื่อ' },
  badCode: { en: 'Use 2–32 letters, digits, dashes or underscores.', th: 'ใช้ตัวอักษร ตัวเลข ขีด หรือขีดล่าง 2–32 ตัว' },
  badCommission: { en: 'The commission is a whole number of baht, 0 or more.', th: 'ค่าคอมมิชชันต้องเป็นจำนวนเต็มบาท ตั้งแต่ 0 ขึ้นไป' },
  needName: { en: 'Give the referrer a name.', th: 'โปรดใส่ชื่อผู้แนะนำ' },
} as const;

/** #/referrers (admin): the referrer codes with their commission, and a form to add one (errors by field). */
export function ReferrersPage() {
  const session = useSession();
  const { lang } = session;
  const w = wordsFor(WORDS, lang);
  const list = useLoad((signal) => client.listReferrers({ signal }), []);
  const [code, setCode] = useState('');
  const [name, setName] = useState('');
  const [commission, setCommission] = useState('0');
  const [errors, setErrors] = useState<{ code?: string; name?: string; commission?: string }>({});
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);

  return (
    <section class="referrers-page" aria-labelledby="referrers-title">
      <StaffNav />
      <h1 id="referrers-title">{w('title')}</h1>
      <p class="muted">{w('intro')}</p>
      <div class="staff-layout">
        <form
          class="card"
          data-testid="referrer-form"
          noValidate
          onSubmit={async (e) => {
            e.preventDefault();
            const c = code.trim().toUpperCase();
            const n = Number(commission);
            const found: typeof errors = {};
            if (!/^[A-Z0-9_-]{2,32}$/.test(c)) found.code = w('badCode');
            if (!name.trim()) found.name = w('needName');
            if (commission.trim() === '' || !Number.isInteger(n) || n < 0) found.commission = w('badCommission');
            setErrors(found);
            setError(undefined);
            if (Object.keys(found).length > 0) return;
            setBusy(true);
            try {
              const r = await client.createReferrer({ code: c, name: name.trim(), commissionPerTicket: n });
              session.toast(w('added', { code: r.code }), 'success');
              setCode('');
              setName('');
              setCommission('0');
              list.reload();
            } catch (err) {
              if (err instanceof BoxofficeError && (err.details as { reason?: string } | undefined)?.reason === 'taken') setErrors({ code: w('taken', { code: c }) });
              else setError(err);
            } finally {
              setBusy(false);
            }
          }}
        >
          <h2>{w('create')}</h2>
          <label>
            {w('code')}
            <input data-testid="referrer-code" value={code} maxLength={32} spellcheck={false} autoComplete="off" aria-invalid={errors.code ? 'true' : undefined} aria-describedby="ref-code-hint" onInput={(e) => setCode(e.currentTarget.value)} />
            <small id="ref-code-hint">{w('codeHint')}</small>
            {errors.code && <p class="field-error" role="alert" data-testid="referrer-code-error">{errors.code}</p>}
          </label>
          <label>
            {w('name')}
            <input data-testid="referrer-name" value={name} maxLength={200} aria-invalid={errors.name ? 'true' : undefined} onInput={(e) => setName(e.currentTarget.value)} />
            {errors.name && <p class="field-error" role="alert">{errors.name}</p>}
          </label>
          <label>
            {w('commission')}
            <input data-testid="referrer-commission" type="number" min={0} step={1} value={commission} aria-invalid={errors.commission ? 'true' : undefined} onInput={(e) => setCommission(e.currentTarget.value)} />
            {errors.commission && <p class="field-error" role="alert">{errors.commission}</p>}
          </label>
          {error !== undefined && <ErrorBox error={error} />}
          <button class="primary" type="submit" data-testid="referrer-submit" disabled={busy}>{w('add')}</button>
        </form>
        <div class="card">
          <h2>{w('list')}</h2>
          {list.error !== undefined && <ErrorBox error={list.error} onRetry={list.reload} />}
          {list.data?.length === 0 && <p class="muted">{w('none')}</p>}
          {list.data && list.data.length > 0 && (
            <TableScroll label={w('list')}>
              <table class="data-table" data-testid="referrer-table">
                <thead>
                  <tr><th>{w('code')}</th><th>{w('name')}</th><th class="num">{w('commission')}</th><th>{w('since')}</th></tr>
                </thead>
                <tbody>
                  {list.data.map((r) => (
                    <tr key={r.code} data-code={r.code}>
                      <td><strong>{r.code}</strong></td>
                      <td>{r.name}</td>
                      <td class="num">{formatMoney(lang, r.commissionPerTicket)}</td>
                      <td>{formatTime(lang, r.createdAt)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableScroll>
          )}
        </div>
      </div>
    </section>
  );
}
