/** @jsxImportSource preact */
import { useState } from 'preact/hooks';
import type { Lang, Zone } from '../../src/client/index.ts';
import { client, type PublicSession } from './session.ts';

const STRINGS = {
  heading: { en: 'Best available', th: 'ที่นั่งดีที่สุดที่ว่าง' },
  seats: { en: 'Seats', th: 'จำนวนที่นั่ง' },
  zone: { en: 'Zone', th: 'โซน' },
  anyZone: { en: 'Any zone', th: 'ทุกโซน' },
  button: { en: 'Best available {n} in {zone}', th: 'ที่นั่งดีที่สุด {n} ที่ ใน{zone}' },
  held: { en: 'Held for you side by side: {seats}', th: 'กันที่นั่งติดกันไว้ให้แล้ว: {seats}' },
} as const;

function tr(lang: Lang, key: keyof typeof STRINGS, params: Record<string, string | number> = {}): string {
  return STRINGS[key][lang].replace(/\{(\w+)\}/g, (_, k: string) => String(params[k] ?? ''));
}

/**
 * "Best available N in <zone>" beside manual picking: the server chooses N seats side by side (nearest the
 * ring, no single seat stranded) and holds them at once (POST …/seats/lock-best); they then appear on the
 * map and in the basket through the show's live events like any other hold.
 */
export function BestAvailable({ showDate, zones, max, session, disabled, onNeedSignIn, onHeld }: {
  showDate: string;
  zones: Zone[];
  max: number;
  session: PublicSession;
  disabled?: boolean;
  onNeedSignIn(): void;
  onHeld(seatIds: string[]): void;
}) {
  const { lang } = session;
  const [quantity, setQuantity] = useState(2);
  const [zoneId, setZoneId] = useState('');
  const [busy, setBusy] = useState(false);
  const zoneName = zoneId ? (zones.find((z) => z.id === zoneId)?.names[lang] ?? zoneId) : tr(lang, 'anyZone');
  return (
    <form
      class="best-available"
      data-testid="best-available"
      onSubmit={async (e) => {
        e.preventDefault();
        if (!session.user) return onNeedSignIn();
        setBusy(true);
        try {
          const r = await client.lockBest({ showDate, quantity, zoneId: zoneId || undefined });
          session.toast(tr(lang, 'held', { seats: r.seatIds.join(', ') }), 'success');
          onHeld(r.seatIds);
        } catch (err) {
          session.toastError(err);
        } finally {
          setBusy(false);
        }
      }}
    >
      <h3>{tr(lang, 'heading')}</h3>
      <div class="best-available-fields">
        <label>
          {tr(lang, 'seats')}
          <select value={String(quantity)} onChange={(e) => setQuantity(Number(e.currentTarget.value))} data-testid="best-quantity">
            {Array.from({ length: max }, (_, i) => (
              <option key={i + 1} value={String(i + 1)}>
                {i + 1}
              </option>
            ))}
          </select>
        </label>
        <label>
          {tr(lang, 'zone')}
          <select value={zoneId} onChange={(e) => setZoneId(e.currentTarget.value)} data-testid="best-zone">
            <option value="">{tr(lang, 'anyZone')}</option>
            {zones.map((z) => (
              <option key={z.id} value={z.id}>
                {z.names[lang]}
              </option>
            ))}
          </select>
        </label>
      </div>
      <button type="submit" class="secondary" disabled={busy || disabled} data-testid="best-submit">
        {tr(lang, 'button', { n: quantity, zone: zoneName })}
      </button>
    </form>
  );
}
