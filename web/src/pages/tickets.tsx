/** @jsxImportSource preact */
import { useEffect, useState } from 'preact/hooks';
import { BoxofficeError, type Lang, type Ticket } from '../../../src/client/index.ts';
import { client, tFor, usePublicSession } from '../session.ts';
import { formatShowDate, formatTime, formatVenueTime, showTitle, type T } from '../i18n.ts';
import { href } from '../router.ts';
import { ErrorBox } from '../widgets.tsx';
import { loadTickets, saveTickets, type SavedTickets } from '../ticket-store.ts';
import { VENUE_TZ } from './shows.tsx';

type State =
  | { kind: 'loading' }
  | { kind: 'fresh'; saved: SavedTickets }
  /** the server could not be reached: the copy saved on this device */
  | { kind: 'offline'; saved: SavedTickets }
  | { kind: 'error'; error: unknown };

/** Where a ticket lets its holder in, in words: "Ringside A · Row B · Seat 12" or "Standing · Adult". */
export function ticketPlace(ticket: Pick<Ticket, 'admission' | 'seatId' | 'row' | 'number' | 'zoneName' | 'zoneId'>, lang: Lang, t: T): string {
  if (ticket.admission !== 'seat') return `${t('standingTicket')} · ${t(ticket.admission === 'standing-child' ? 'ticketChild' : 'ticketAdult')}`;
  const zone = ticket.zoneName?.[lang] ?? ticket.zoneId;
  const parts = [zone, ticket.row !== undefined ? `${t('row')} ${ticket.row}` : undefined, `${t('seat')} ${ticket.number ?? ticket.seatId}`];
  return parts.filter(Boolean).join(' · ');
}

/** The secret in groups of four, for typing it at the door when the camera cannot read the QR. */
export const groupedSecret = (secret: string): string => secret.replace(/(.{4})(?=.)/g, '$1 ');

/**
 * #/tickets/:orderId — the buyer's tickets: per ticket a big QR, the seat (or standing type), the show's date and
 * start time in the venue's time zone and the order code; the PDF. Every answer is saved on the device, so the page
 * opens again without a network (the service worker keeps the app itself).
 */
export function TicketsPage({ orderId, userId }: { orderId: string; userId: string }) {
  const session = usePublicSession();
  const { t, lang } = session;
  const [state, setState] = useState<State>(() => {
    const saved = loadTickets(userId, orderId);
    return saved ? { kind: 'offline', saved } : { kind: 'loading' };
  });
  const [version, setVersion] = useState(0);
  const [pdfBusy, setPdfBusy] = useState(false);

  useEffect(() => {
    const controller = new AbortController();
    const signal = controller.signal;
    void (async () => {
      try {
        const [tickets, shows] = await Promise.all([client.tickets(orderId, { signal }), client.listShows({ signal }).catch(() => [])]);
        const first = tickets[0];
        const show = shows.find((s) => s.showDate === first?.showDate);
        const saved: SavedTickets = {
          orderId,
          orderCode: first?.orderCode ?? '',
          showDate: first?.showDate ?? '',
          showTitle: show ? { en: showTitle('en', show, tFor('en')), th: showTitle('th', show, tFor('th')) } : undefined,
          tickets,
          savedAt: new Date().toISOString(),
        };
        saveTickets(userId, saved);
        if (!signal.aborted) setState({ kind: 'fresh', saved });
      } catch (error) {
        if (signal.aborted) return;
        const saved = loadTickets(userId, orderId);
        // no network, or a session that ran out: the saved copy is still the buyer's tickets
        const keepSaved = error instanceof BoxofficeError && (error.status === 0 || error.code === 'UNAUTHENTICATED');
        setState(saved && keepSaved ? { kind: 'offline', saved } : { kind: 'error', error });
      }
    })();
    return () => controller.abort();
  }, [orderId, version]);

  const downloadPdf = async (code: string) => {
    setPdfBusy(true);
    try {
      const blob = await client.ticketsPdf(orderId);
      const url = URL.createObjectURL(blob);
      const a = document.createElement('a');
      a.href = url;
      a.download = `tickets-${code}.pdf`;
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
    } catch (err) {
      session.toastError(err);
    } finally {
      setPdfBusy(false);
    }
  };

  if (state.kind === 'loading') return <p class="loading" data-testid="tickets-loading">{t('loading')}</p>;
  if (state.kind === 'error') {
    const notPaid = state.error instanceof BoxofficeError && state.error.code === 'ORDER_NOT_PAID';
    return (
      <section class="card" aria-labelledby="tickets-title">
        <h1 id="tickets-title">{t('yourTickets')}</h1>
        {notPaid ? (
          <p class="notice" data-testid="tickets-not-paid">
            {t('ticketsAfterPayment')} <a href={href('order', orderId)}>{t('order')} →</a>
          </p>
        ) : (
          <ErrorBox error={state.error} onRetry={() => setVersion((v) => v + 1)} />
        )}
      </section>
    );
  }

  const { saved } = state;
  const title = saved.showTitle?.[lang] ?? t('defaultShowTitle');
  const usable = saved.tickets.filter((x) => x.status !== 'REVOKED').length;
  return (
    <section class="tickets-page" aria-labelledby="tickets-title" data-testid="tickets-page" data-source={state.kind}>
      <div class="tickets-head">
        <h1 id="tickets-title">
          {t('yourTickets')} <span class="h1-date">{saved.showDate && formatShowDate(lang, saved.showDate)}</span>
        </h1>
        <p class="muted">
          {title} · {t('orderCode')} <strong class="order-code" data-testid="tickets-order-code">{saved.orderCode}</strong> ·{' '}
          {usable === 1 ? t('ticketCountOne') : t('ticketCount', { n: usable })}
        </p>
        <div class="tickets-actions">
          <button type="button" class="primary" data-testid="tickets-pdf" disabled={pdfBusy || state.kind === 'offline'} onClick={() => downloadPdf(saved.orderCode)}>
            {pdfBusy ? t('loading') : t('downloadPdf')}
          </button>
          <a href={href('order', orderId)}>{t('orderDetails')}</a>
        </div>
        {state.kind === 'offline' ? (
          <p class="notice" role="status" data-testid="tickets-offline">
            {t('ticketsSavedCopy', { time: formatTime(lang, saved.savedAt) })}{' '}
            <button type="button" class="small" onClick={() => setVersion((v) => v + 1)}>
              {t('retry')}
            </button>
          </p>
        ) : (
          <p class="muted small-print" data-testid="tickets-saved">{t('ticketsSavedHere')}</p>
        )}
      </div>
      <ol class="ticket-list">
        {saved.tickets.map((ticket, i) => (
          <li key={ticket.id}>
            <TicketCard ticket={ticket} index={i + 1} of={saved.tickets.length} title={title} />
          </li>
        ))}
      </ol>
    </section>
  );
}

function TicketCard({ ticket, index, of, title }: { ticket: Ticket; index: number; of: number; title: string }) {
  const { t, lang } = usePublicSession();
  const place = ticketPlace(ticket, lang, t);
  const revoked = ticket.status === 'REVOKED';
  return (
    <article
      class={`card ticket ticket-${ticket.status.toLowerCase()}`}
      data-testid="ticket"
      data-ticket-id={ticket.id}
      data-status={ticket.status}
      data-admission={ticket.admission}
      aria-label={`${t('ticketNofM', { n: index, m: of })}: ${place}`}
    >
      <div class="ticket-qr">
        {revoked ? (
          <p class="ticket-void" data-testid="ticket-void">{t('ticketRevoked')}</p>
        ) : (
          <img src={`data:image/svg+xml;charset=utf-8,${encodeURIComponent(ticket.qrSvg)}`} alt={t('ticketQrAlt', { place })} data-testid="ticket-qr" />
        )}
      </div>
      <div class="ticket-body">
        <p class="muted ticket-n">{t('ticketNofM', { n: index, m: of })}</p>
        <p class="ticket-place" data-testid="ticket-place">{place}</p>
        <dl class="facts">
          <dt>{t('showDate')}</dt>
          <dd data-testid="ticket-show">
            {title}
            <br />
            {ticket.startsAt ? formatVenueTime(lang, ticket.startsAt, VENUE_TZ) : formatShowDate(lang, ticket.showDate)} <span class="muted">({t('venueTime')})</span>
          </dd>
          {ticket.admission === 'seat' && ticket.zoneName && (
            <>
              <dt>{t('zone')}</dt>
              <dd data-testid="ticket-zone">{ticket.zoneName[lang]}</dd>
            </>
          )}
          {ticket.row !== undefined && (
            <>
              <dt>{t('row')}</dt>
              <dd data-testid="ticket-row">{ticket.row}</dd>
            </>
          )}
          {ticket.admission === 'seat' && (
            <>
              <dt>{t('seat')}</dt>
              <dd data-testid="ticket-seat">{ticket.number ?? ticket.seatId}</dd>
            </>
          )}
          <dt>{t('orderCode')}</dt>
          <dd>
            <strong class="order-code">{ticket.orderCode}</strong>
          </dd>
          <dt>{t('status')}</dt>
          <dd data-testid="ticket-status">
            {ticket.status === 'VALID' && t('ticketValid')}
            {ticket.status === 'USED' && (ticket.checkedInAt ? t('ticketUsedAt', { time: formatTime(lang, ticket.checkedInAt) }) : t('ticketUsed'))}
            {revoked && t('ticketRevoked')}
          </dd>
        </dl>
        {!revoked && (
          <p class="small-print muted">
            {t('manualCode')}: <code class="secret-code" data-testid="ticket-code">{groupedSecret(ticket.secret)}</code>
          </p>
        )}
      </div>
    </article>
  );
}

/** Used by the order page: a paid order links to its tickets. */
export function TicketsLink({ orderId }: { orderId: string }) {
  const { t } = usePublicSession();
  return (
    <a class="button-link" href={href('tickets', orderId)} data-testid="view-tickets">
      {t('viewTickets')} →
    </a>
  );
}
