/** @jsxImportSource preact */
import { useEffect, useRef, useState } from 'preact/hooks';
import jsQR from 'jsqr';
import { BoxofficeError, randomUuid, type Show } from '../../../src/client/index.ts';
import { client, socket, useSession } from '../session.ts';
import { formatShowDate, formatTime, type T } from '../i18n.ts';
import type { Lang } from '../../../src/client/index.ts';
import {
  GATE_KEY,
  SHOW_KEY,
  decideOffline,
  loadConflicts,
  loadManifest,
  loadQueue,
  manifestShows,
  markUsed,
  mergeManifest,
  saveConflicts,
  saveQueue,
  secretHash,
  type Conflict,
  type DoorAnswer,
  type DoorTicket,
  type QueuedScan,
  type StoredManifest,
} from '../door-store.ts';

/** How often the manifest is brought up to date (`since`) and waiting scans are uploaded while online. */
const SYNC_MS = 15_000;
/** A scan waits this long for the server before the device decides it offline. */
const ONLINE_WAIT_MS = 4_000;
/** The same QR again is a new scan only after it has been out of the camera's view this long. */
const SAME_CODE_GAP_MS = 1_500;
const FRAME_MS = 150;
const BATCH_MAX = 500;

/** Where the ticket lets its holder in, for the door: "Right stand · Row A · Seat 101" or "Standing · Adult". */
function placeWords(ticket: DoorTicket, zones: StoredManifest['zones'], lang: Lang, t: T): string {
  if (ticket.admission !== 'seat') return `${t('standingTicket')} · ${t(ticket.admission === 'standing-child' ? 'ticketChild' : 'ticketAdult')}`;
  const zone = ticket.zoneId ? (zones?.[ticket.zoneId]?.[lang] ?? ticket.zoneId) : undefined;
  return [zone, ticket.row !== undefined ? `${t('row')} ${ticket.row}` : undefined, `${t('seat')} ${ticket.number ?? ticket.seatId}`].filter(Boolean).join(' · ');
}

/** A short beep for "in", a low double buzz for anything else (WebAudio: no sound files). */
function beep(ctx: AudioContext | undefined, ok: boolean): void {
  if (!ctx) return;
  const tones = ok ? [[880, 0, 0.15]] : [[220, 0, 0.18], [220, 0.25, 0.18]];
  for (const [freq, start, length] of tones) {
    const osc = ctx.createOscillator();
    const gain = ctx.createGain();
    osc.type = ok ? 'sine' : 'square';
    osc.frequency.value = freq;
    gain.gain.value = 0.2;
    osc.connect(gain).connect(ctx.destination);
    osc.start(ctx.currentTime + start);
    osc.stop(ctx.currentTime + start + length);
  }
}

/**
 * #/door — the door scanner (door, staff, admin). Pick the show; the camera reads QR codes (jsQR) and the server
 * decides; each answer is shown big (green: in; red: why not) with a sound. The show's manifest is kept on the
 * device: without a network the device decides by hash, queues the scans and uploads them (/checkins/batch)
 * when the network is back, listing any conflict. Manual entry of the code when the camera cannot read it;
 * staff may admit a ticket of another night.
 */
export function DoorPage() {
  const session = useSession();
  const { t, lang, user } = session;
  const isStaff = user.role === 'staff' || user.role === 'admin';
  const [shows, setShows] = useState<Show[] | undefined>(undefined);
  const [showDate, setShowDate] = useState<string>(() => localStorage.getItem(SHOW_KEY) ?? '');
  const [gate, setGate] = useState<string>(() => localStorage.getItem(GATE_KEY) ?? '');
  const [manifest, setManifest] = useState<StoredManifest | undefined>(() => (showDate ? loadManifest(showDate) : undefined));
  const [manifestError, setManifestError] = useState<unknown>(undefined);
  const [count, setCount] = useState<{ admitted: number; total: number } | undefined>(undefined);
  const [queue, setQueue] = useState<QueuedScan[]>(loadQueue);
  const [conflicts, setConflicts] = useState<Conflict[]>(loadConflicts);
  const [answer, setAnswer] = useState<{ a: DoorAnswer; secret: string; at: number } | undefined>(undefined);
  const [camera, setCamera] = useState<'off' | 'starting' | 'on' | 'denied'>('off');
  const [manual, setManual] = useState('');
  const [busy, setBusy] = useState(false);
  const [uploading, setUploading] = useState(false);
  const videoRef = useRef<HTMLVideoElement>(null);
  const audio = useRef<AudioContext | undefined>(undefined);
  const busyRef = useRef(false);
  const uploadingRef = useRef(false);
  const lastCode = useRef<{ secret: string; seenAt: number } | undefined>(undefined);
  const state = useRef({ showDate, gate, queue });
  state.current = { showDate, gate, queue };

  // shows: the list when online, else the shows whose manifest the device holds
  useEffect(() => {
    client.listShows().then(
      (list) => {
        setShows(list);
        if (!showDate && list[0]) setShowDate(list[0].showDate);
      },
      () => setShows(manifestShows().map((d) => ({ showDate: d }) as Show)),
    );
  }, []);

  useEffect(() => {
    if (showDate) localStorage.setItem(SHOW_KEY, showDate);
    setManifest(showDate ? loadManifest(showDate) : undefined);
    setCount(undefined);
    setAnswer(undefined);
  }, [showDate]);
  useEffect(() => localStorage.setItem(GATE_KEY, gate), [gate]);

  /** Brings the manifest up to date (whole the first time, then `since`); zone names with the first download. */
  const syncManifest = async () => {
    const date = state.current.showDate;
    if (!date) return;
    try {
      const prev = loadManifest(date);
      const zones = prev?.zones ?? (await client.getSeatMap(date).then((map) => Object.fromEntries(map.zones.map((z) => [z.id, z.names])), () => undefined));
      const m = await client.checkinManifest(date, prev?.generatedAt);
      if (state.current.showDate !== date) return;
      setManifest(mergeManifest(m, zones));
      setCount({ admitted: m.admitted, total: m.total });
      setManifestError(undefined);
    } catch (err) {
      if (state.current.showDate === date) setManifestError(err);
    }
  };

  /** Uploads the scans decided offline, in order; an offline admission the server refused becomes a conflict. */
  const upload = async () => {
    const waiting = loadQueue();
    // the network coming back fires 'online' and the socket's 'connect': one upload at a time
    if (!waiting.length || uploadingRef.current) return;
    uploadingRef.current = true;
    setUploading(true);
    try {
      for (let i = 0; i < waiting.length; i += BATCH_MAX) {
        const chunk = waiting.slice(i, i + BATCH_MAX);
        const results = await client.checkinBatch(chunk.map(({ secret, showDate: d, nonce, gate: g, scannedAt }) => ({ secret, showDate: d, nonce, scannedAt, ...(g ? { gate: g } : {}) })));
        const found = chunk.flatMap((scan, j): Conflict[] =>
          scan.local === 'ADMITTED' && results[j]?.result !== 'ADMITTED' ? [{ scannedAt: scan.scannedAt, gate: scan.gate, ticket: scan.ticket, server: results[j] }] : [],
        );
        const left = loadQueue().filter((q) => !chunk.some((c) => c.nonce === q.nonce));
        saveQueue(left);
        setQueue(left);
        if (found.length) {
          const all = [...found, ...loadConflicts()].slice(0, 200);
          saveConflicts(all);
          setConflicts(all);
        }
      }
      await syncManifest();
    } catch {
      // still offline (or the server is down): the scans stay queued for the next try
    } finally {
      uploadingRef.current = false;
      setUploading(false);
    }
  };

  // live count, periodic sync, upload when the network is back
  useEffect(() => {
    if (!showDate) return;
    void syncManifest().then(upload);
    const onCount = (e: { showDate: string; admitted: number; total: number }) => {
      if (e.showDate === state.current.showDate) setCount({ admitted: e.admitted, total: e.total });
    };
    const back = () => void upload().then(syncManifest);
    socket.on('checkin-count', onCount);
    socket.on('connect', back);
    window.addEventListener('online', back);
    const timer = setInterval(() => {
      if (navigator.onLine) void syncManifest().then(upload);
    }, SYNC_MS);
    return () => {
      socket.off('checkin-count', onCount);
      socket.off('connect', back);
      window.removeEventListener('online', back);
      clearInterval(timer);
    };
  }, [showDate]);

  /** One scan: the server decides; without a network (or no answer in time) the device does, and queues it. */
  const scan = async (raw: string, force = false) => {
    const secret = raw.replace(/\s+/g, '');
    const date = state.current.showDate;
    if (!secret || !date || busyRef.current) return;
    busyRef.current = true;
    setBusy(true);
    const g = state.current.gate.trim() || undefined;
    const nonce = randomUuid();
    const scannedAt = new Date(client.serverNow()).toISOString();
    try {
      let shown: DoorAnswer;
      try {
        shown = await client.checkin({ secret, showDate: date, nonce, scannedAt, ...(g ? { gate: g } : {}), ...(force ? { force } : {}) }, { retry: false, signal: AbortSignal.timeout(ONLINE_WAIT_MS) });
      } catch (err) {
        const unreachable = (err instanceof BoxofficeError && err.status === 0) || (err instanceof DOMException && (err.name === 'TimeoutError' || err.name === 'AbortError'));
        if (!unreachable || force) throw err;
        shown = (await decideOffline(secret, date, state.current.queue)).answer;
        const queued: QueuedScan = { secret, showDate: date, nonce, gate: g, scannedAt, local: shown.result, ticket: shown.ticket };
        const next = [...loadQueue(), queued];
        saveQueue(next);
        setQueue(next);
      }
      beep(audio.current, shown.result === 'ADMITTED');
      setAnswer({ a: shown, secret, at: Date.now() });
      // the device's list learns of the admission, for deciding offline later
      if (shown.result === 'ADMITTED' && !shown.offline) markUsed(date, await secretHash(secret));
    } catch (err) {
      // a refusal of the request itself (403, 5xx), or no WebCrypto to decide offline (plain http): said, not swallowed
      session.toastError(err);
    } finally {
      busyRef.current = false;
      setBusy(false);
    }
  };

  // the camera: frames to a canvas, jsQR on each; a code still in view is not scanned again
  useEffect(() => {
    if (camera !== 'starting' && camera !== 'on') return;
    let stream: MediaStream | undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    const canvas = document.createElement('canvas');
    const ctx = canvas.getContext('2d', { willReadFrequently: true });
    const frame = () => {
      if (stopped) return;
      const video = videoRef.current;
      if (video && ctx && video.readyState >= 2 && video.videoWidth) {
        const scale = Math.min(1, 640 / video.videoWidth);
        canvas.width = Math.round(video.videoWidth * scale);
        canvas.height = Math.round(video.videoHeight * scale);
        ctx.drawImage(video, 0, 0, canvas.width, canvas.height);
        const code = jsQR(ctx.getImageData(0, 0, canvas.width, canvas.height).data, canvas.width, canvas.height, { inversionAttempts: 'dontInvert' });
        const now = Date.now();
        if (code?.data) {
          const last = lastCode.current;
          const again = last && last.secret === code.data && now - last.seenAt < SAME_CODE_GAP_MS;
          lastCode.current = { secret: code.data, seenAt: now };
          if (!again) void scan(code.data);
        }
      }
      timer = setTimeout(frame, FRAME_MS);
    };
    navigator.mediaDevices
      .getUserMedia({ video: { facingMode: 'environment' }, audio: false })
      .then(async (s) => {
        if (stopped) return s.getTracks().forEach((tr) => tr.stop());
        stream = s;
        const video = videoRef.current!;
        video.srcObject = s;
        await video.play().catch(() => undefined);
        setCamera('on');
        frame();
      })
      .catch(() => !stopped && setCamera('denied'));
    return () => {
      stopped = true;
      clearTimeout(timer);
      stream?.getTracks().forEach((tr) => tr.stop());
    };
  }, [camera === 'off' || camera === 'denied' ? 'off' : 'running']);

  const startCamera = () => {
    // sound needs a user gesture in browsers: the AudioContext is made by this click
    audio.current ??= new AudioContext();
    setCamera('starting');
  };

  const waiting = queue.length;
  const localAdmitted = queue.filter((q) => q.showDate === showDate && q.local === 'ADMITTED').length;
  const shownCount = count ?? (manifest ? { admitted: manifest.admitted, total: manifest.total } : undefined);
  const manifestSize = manifest ? Object.keys(manifest.tickets).length : 0;
  const a = answer?.a;
  const good = a?.result === 'ADMITTED';

  return (
    <section class="door-page" aria-labelledby="door-title" data-testid="door-page">
      <h1 id="door-title">{t('doorTitle')}</h1>
      <div class="door-controls card">
        <label>
          {t('showDate')}
          <select data-testid="door-show" value={showDate} onChange={(e) => setShowDate(e.currentTarget.value)}>
            {!showDate && <option value="">{t('doorPickShow')}</option>}
            {(shows ?? []).map((s) => (
              <option key={s.showDate} value={s.showDate}>
                {formatShowDate(lang, s.showDate)}
              </option>
            ))}
            {showDate && !(shows ?? []).some((s) => s.showDate === showDate) && <option value={showDate}>{formatShowDate(lang, showDate)}</option>}
          </select>
        </label>
        <label>
          {t('doorGate')}
          <input data-testid="door-gate" value={gate} maxLength={50} placeholder={t('doorGateHint')} onInput={(e) => setGate(e.currentTarget.value)} />
        </label>
        <div class="door-count" data-testid="door-count" aria-live="polite">
          <span class="door-count-n">
            {shownCount ? `${shownCount.admitted + localAdmitted} / ${shownCount.total}` : '– / –'}
          </span>
          <span class="muted">{t('doorAdmitted')}</span>
        </div>
      </div>

      <div class="door-layout">
        <div class="door-camera card">
          <video ref={videoRef} class={camera === 'on' ? 'door-video' : 'door-video door-video-off'} muted playsInline data-testid="door-video" aria-label={t('doorCamera')} />
          {camera !== 'on' && (
            <div class="door-camera-off">
              {camera === 'denied' && <p class="form-error" role="alert">{t('doorCameraDenied')}</p>}
              <button type="button" class="primary" data-testid="door-start-camera" disabled={!showDate || camera === 'starting'} onClick={startCamera}>
                {camera === 'starting' ? t('loading') : t('doorStartCamera')}
              </button>
            </div>
          )}
          {camera === 'on' && (
            <button type="button" class="secondary" data-testid="door-stop-camera" onClick={() => setCamera('off')}>
              {t('doorStopCamera')}
            </button>
          )}
          <form
            class="door-manual"
            onSubmit={(e) => {
              e.preventDefault();
              audio.current ??= new AudioContext();
              void scan(manual).then(() => setManual(''));
            }}
          >
            <label>
              {t('doorManual')}
              <input data-testid="door-manual" value={manual} autoComplete="off" autoCapitalize="off" spellcheck={false} onInput={(e) => setManual(e.currentTarget.value)} />
            </label>
            <button type="submit" data-testid="door-manual-submit" disabled={busy || !manual.trim() || !showDate}>
              {t('doorCheck')}
            </button>
          </form>
        </div>

        <div class="door-side">
          <div
            class={`door-result ${a ? (good ? 'door-result-ok' : 'door-result-no') : 'door-result-idle'}`}
            role="status"
            aria-live="assertive"
            data-testid="door-result"
            data-result={a?.result ?? ''}
            data-offline={a?.offline ? 'true' : 'false'}
          >
            {!a && <p class="door-result-word">{showDate ? t('doorReady') : t('doorPickShow')}</p>}
            {a && (
              <>
                <p class="door-result-word" data-testid="door-result-word">
                  {good ? '✓ ' : '✕ '}
                  {t(`door_${a.result}`)}
                </p>
                {a.ticket && <p class="door-result-place" data-testid="door-result-place">{placeWords(a.ticket, manifest?.zones, lang, t)}</p>}
                {a.result === 'ALREADY_ADMITTED' && (
                  <p data-testid="door-first-checkin">
                    {a.firstCheckin
                      ? t('doorFirstCheckin', { time: formatTime(lang, a.firstCheckin.at), gate: a.firstCheckin.gate ?? t('doorNoGate') })
                      : t('doorUsedBefore')}
                  </p>
                )}
                {a.result === 'WRONG_SHOW' && a.ticket && <p>{t('doorWrongShow', { date: formatShowDate(lang, a.ticket.showDate) })}</p>}
                {a.result === 'REVOKED' && <p>{t('doorRevoked')}</p>}
                {a.result === 'UNPAID' && <p>{t('doorUnpaid')}</p>}
                {a.result === 'INVALID' && <p>{t('doorInvalid')}</p>}
                {a.ticket && <p class="door-order">{t('orderCode')} <strong class="order-code">{a.ticket.orderCode}</strong></p>}
                {a.offline && <p class="door-offline-note">{t('doorDecidedOffline')}</p>}
                {isStaff && a.result === 'WRONG_SHOW' && !a.offline && (
                  <button type="button" class="door-force" data-testid="door-force" disabled={busy} onClick={() => void scan(answer!.secret, true)}>
                    {t('doorForce')}
                  </button>
                )}
              </>
            )}
          </div>

          <div class="card door-sync" data-testid="door-sync">
            <p data-testid="door-manifest">
              {manifest
                ? t('doorManifest', { n: manifestSize, time: formatTime(lang, manifest.generatedAt) })
                : manifestError !== undefined
                  ? t('doorNoManifest')
                  : t('loading')}
            </p>
            <p data-testid="door-waiting" data-waiting={waiting}>
              {waiting === 0 ? t('doorNothingWaiting') : t('doorWaiting', { n: waiting })}
              {waiting > 0 && (
                <button type="button" class="small" data-testid="door-upload" disabled={uploading} onClick={() => void upload()}>
                  {uploading ? t('loading') : t('doorUploadNow')}
                </button>
              )}
            </p>
            {conflicts.length > 0 && (
              <div class="door-conflicts" data-testid="door-conflicts">
                <h2>{t('doorConflicts', { n: conflicts.length })}</h2>
                <ul>
                  {conflicts.map((c, i) => (
                    <li key={i} data-testid="door-conflict">
                      {c.ticket ? placeWords(c.ticket, manifest?.zones, lang, t) : '—'}: {t('doorConflictLine', { time: formatTime(lang, c.scannedAt), result: t(`door_${c.server.result}`) })}
                      {c.server.firstCheckin && ` ${t('doorFirstCheckin', { time: formatTime(lang, c.server.firstCheckin.at), gate: c.server.firstCheckin.gate ?? t('doorNoGate') })}`}
                    </li>
                  ))}
                </ul>
                <button
                  type="button"
                  class="small"
                  onClick={() => {
                    saveConflicts([]);
                    setConflicts([]);
                  }}
                >
                  {t('doorClearConflicts')}
                </button>
              </div>
            )}
          </div>
        </div>
      </div>
    </section>
  );
}
