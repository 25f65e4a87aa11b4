/** @jsxImportSource preact */
import type { ComponentChildren, JSX } from 'preact';
import { useEffect, useErrorBoundary, useMemo, useRef, useState } from 'preact/hooks';
import { BoxofficeError, type Lang, type User } from '../../src/client/index.ts';
import { LoginPage } from './pages/login.tsx';
import { ShowsPage } from './pages/shows.tsx';
import { ShowPage } from './pages/show.tsx';
import { OrderNotFound, OrderPage } from './pages/order.tsx';
import { MyOrdersPage } from './pages/my-orders.tsx';
import { StaffPage } from './pages/staff.tsx';
import { PayPage } from './pages/pay.tsx';
import { StaffPaymentsPage } from './pages/staff-payments.tsx';
import { AdminPage } from './pages/admin.tsx';
import { AdminShowsPage } from './pages/admin-shows.tsx';
import { TicketsPage } from './pages/tickets.tsx';
import { DoorPage } from './pages/door.tsx';
import { AdminUsersPage } from './pages/admin-users.tsx';
import { forgetAllTickets, loadTickets } from './ticket-store.ts';
import { CounterPage } from './pages/counter.tsx';
import { ReportsPage } from './pages/reports.tsx';
import { AuditPage } from './pages/audit.tsx';
import { ReferrersPage } from './pages/referrers.tsx';
import { Toasts, type Toast } from './toasts.tsx';
import { href, isOrderId, isShowDate, navigate, useRoute } from './router.ts';
import { ShowNotFound } from './widgets.tsx';
import { SessionContext, cachedUser, client, errorText, saveLang, saveUser, socket, tFor, usePublicSession, type PublicSession, type ToastKind } from './session.ts';
import { useHeightVar } from './hooks.ts';

let toastId = 0;

/** The pages under the Staff link (their own navigation: staff-nav.tsx). */
const STAFF_PAGES = new Set(['staff', 'counter', 'payments', 'reports', 'audit', 'referrers']);

export function App() {
  const [lang, setLang] = useState<Lang>(client.getLang());
  const [user, setUser] = useState<User | undefined>(undefined);
  const [checkingToken, setCheckingToken] = useState(client.getToken() !== undefined);
  const [online, setOnline] = useState(socket.connected);
  // its height keeps Book and the like clear of the offline banner (styles.css)
  const dockRef = useHeightVar('--dock-space');
  const [toasts, setToasts] = useState<Toast[]>([]);
  const route = useRoute();
  const t = useMemo(() => tFor(lang), [lang]);

  useEffect(() => saveLang(lang), [lang]);

  // A token from an earlier visit: check it is still good. Only a refused token signs the user out;
  // when the server cannot be reached the token is kept and the check can be tried again.
  const [startupError, setStartupError] = useState<unknown>(undefined);
  const checkToken = () => {
    if (!client.getToken()) return setCheckingToken(false);
    setStartupError(undefined);
    setCheckingToken(true);
    client
      .me()
      .then(
        (me) => {
          saveUser(me);
          setUser(me);
        },
        (err: unknown) => {
          const cached = cachedUser();
          if (err instanceof BoxofficeError && err.code === 'UNAUTHENTICATED') client.logout();
          // no network at all: carry on as the user of the last visit, so saved tickets open offline
          else if (err instanceof BoxofficeError && err.status === 0 && cached) setUser(cached);
          else setStartupError(err);
        },
      )
      .finally(() => setCheckingToken(false));
  };
  useEffect(checkToken, []);
  // Opening a show (or the counter) straight from a link: its map needs the venue's layout (1.5 MB for a
  // 20,000-seat arena), so fetch it while the token is checked; the client keeps it and ShowLive takes it from there.
  useEffect(() => {
    if (route[0] === 'show' || route[0] === 'counter') void client.getVenueLayout().catch(() => undefined);
  }, []);

  // The socket tells us whether live updates flow. The browser's own offline signal is quicker than a
  // socket heartbeat, so going offline closes the socket at once and coming back opens it again.
  useEffect(() => {
    const up = () => setOnline(true);
    const down = () => setOnline(false);
    const browserOffline = () => {
      socket.disconnect();
      setOnline(false);
    };
    const browserOnline = () => {
      if (!socket.connected) socket.connect();
    };
    // Insurance: if an 'online' event was missed, a socket we closed ourselves would stay closed.
    const watchdog = setInterval(() => {
      if (navigator.onLine && !socket.connected && !socket.active) socket.connect();
    }, 5000);
    socket.on('connect', up);
    socket.on('disconnect', down);
    window.addEventListener('offline', browserOffline);
    window.addEventListener('online', browserOnline);
    return () => {
      clearInterval(watchdog);
      socket.off('connect', up);
      socket.off('disconnect', down);
      window.removeEventListener('offline', browserOffline);
      window.removeEventListener('online', browserOnline);
    };
  }, []);

  const toast = (message: string, kind: ToastKind = 'info', key?: string) => {
    const id = ++toastId;
    setToasts((list) => [...list.filter((x) => key === undefined || x.key !== key).slice(-3), { id, message, kind, key }]);
    setTimeout(() => setToasts((list) => list.filter((x) => x.id !== id)), kind === 'error' ? 7000 : 4000);
  };

  const signedIn = (u: User) => {
    saveUser(u);
    setUser(u);
    // Reconnect so the socket carries the new token (order events go to authenticated sockets only).
    socket.disconnect().connect();
    // a door account can only check tickets in: its page is the scanner
    if (u.role === 'door') navigate('door');
    else if (route[0] === 'login') navigate();
  };

  /**
   * `byUser`: the Sign out button, which also forgets the account and its saved tickets on this device. A session
   * that ran out keeps them, so the tickets still open at the door without a network (#/tickets reads them).
   */
  const signOut = (byUser = false) => {
    client.logout();
    if (byUser) {
      saveUser(undefined);
      forgetAllTickets();
    }
    setUser(undefined);
    socket.disconnect().connect();
  };

  // The token's own expiry: noticed when it happens, not at the next click.
  useEffect(() => {
    const exp = user ? tokenExpiry(client.getToken()) : undefined;
    if (exp === undefined) return;
    const timer = setTimeout(() => {
      signOut();
      toast(t('sessionExpired'), 'info');
    }, Math.max(0, Math.min(exp - client.serverNow(), 2 ** 31 - 1)));
    return () => clearTimeout(timer);
  }, [user, lang]);

  usePageFocus(route, lang);

  if (checkingToken) return <PageSkeleton />;
  if (startupError !== undefined) {
    return (
      <div class="content">
        <div class="error-box" role="alert" data-testid="startup-error">
          <span>{errorText(startupError, lang)}</span>
          <button type="button" onClick={checkToken}>
            {t('retry')}
          </button>
        </div>
      </div>
    );
  }

  const session: PublicSession = {
    user,
    lang,
    t,
    online,
    toast,
    toastError: (err) => {
      // The session ended (token expired or revoked): ask for sign-in again.
      if (err instanceof BoxofficeError && err.code === 'UNAUTHENTICATED' && user) {
        signOut();
        return toast(t('sessionExpired'), 'info');
      }
      toast(errorText(err, lang), 'error');
    },
    signedIn,
  };

  return (
    <div class="app">
      <a class="skip-link" href="#main" onClick={(e) => {
        e.preventDefault();
        document.getElementById('main')?.focus();
      }}>
        {t('skipToContent')}
      </a>
      <header class="topbar">
        <a class="brand" href={href()} data-testid="nav-home">
          <svg class="brand-mark" viewBox="0 0 20 20" aria-hidden="true">
            <rect x="1" y="1" width="18" height="18" rx="3" fill="#c8102e" />
            <rect x="5" y="5" width="10" height="10" fill="none" stroke="#fff" stroke-width="1.6" />
          </svg>
          {t('appName')}
        </a>
        <nav class="nav" aria-label={t('mainNav')}>
          <a href={href()} data-testid="nav-shows" aria-current={route[0] === undefined || route[0] === 'show' ? 'page' : undefined}>{t('shows')}</a>
          {user && user.role !== 'door' && <a href={href('orders')} data-testid="nav-orders" aria-current={route[0] === 'orders' ? 'page' : undefined}>{t('myOrders')}</a>}
          {user && user.role !== 'customer' && <a href={href('door')} data-testid="nav-door" aria-current={route[0] === 'door' ? 'page' : undefined}>{t('door')}</a>}
          {user && (user.role === 'staff' || user.role === 'admin') && <a href={href('staff')} data-testid="nav-staff" aria-current={STAFF_PAGES.has(route[0]) ? 'page' : undefined}>{t('staff')}</a>}
          {user?.role === 'admin' && <a href={href('admin')} data-testid="nav-admin" aria-current={route[0] === 'admin' ? 'page' : undefined}>{t('admin')}</a>}
        </nav>
        <div class="topbar-end">
          <button
            class="lang-button"
            type="button"
            data-testid="lang-toggle"
            lang={lang === 'en' ? 'th' : 'en'}
            title={t('language')}
            onClick={() => setLang(lang === 'en' ? 'th' : 'en')}
          >
            {t('languageShort')}
            <span class="sr-only"> {t('language')}</span>
          </button>
          {user ? (
            <>
              <span class="user-name" data-testid="user-name" title={user.email}>{user.name}</span>
              <button class="link-button" type="button" data-testid="sign-out" onClick={() => {
                signOut(true);
                navigate();
              }}>{t('signOut')}</button>
            </>
          ) : (
            <a class="link-button" href={href('login')} data-testid="nav-sign-in">{t('signIn')}</a>
          )}
        </div>
      </header>
      <main class="content" id="main" tabIndex={-1}>
        <SessionContext.Provider value={session}>
          {/* the orders page keeps its search and lists while orders open (#/staff/:id); others start afresh */}
          <PageGuard key={route[0] === 'staff' ? 'staff' : route.join('/')}>
            <Page route={route} user={user} onSwitchUser={() => signOut(true)} />
          </PageGuard>
        </SessionContext.Provider>
      </main>
      {/* One corner for everything that comes and goes: the offline banner and the toasts stack there without
          overlapping, away from headings, the basket and the phone's sticky bar. */}
      <div class="dock" ref={dockRef}>
        {!online && (
          <div class="offline-banner" role="status" data-testid="offline-banner">
            {t('offline')}
          </div>
        )}
        <Toasts toasts={toasts} closeLabel={t('close')} onClose={(id) => setToasts((l) => l.filter((x) => x.id !== id))} />
      </div>
    </div>
  );
}

/** Pages anyone may open: the shows and their live seat maps. Everything else asks for sign-in first, then shows the page asked for. */
function Page({ route, user, onSwitchUser }: { route: string[]; user: User | undefined; onSwitchUser(): void }) {
  const [page, arg] = route;
  // a door account has one page, the scanner
  if (user?.role === 'door' && page !== 'door' && page !== 'login') return <DoorPage />;
  switch (page) {
    case undefined:
      return <ShowsPage />;
    case 'show':
      if (!arg) return <ShowsPage />;
      return isShowDate(arg) ? <ShowPage key={arg} showDate={arg} /> : <ShowNotFound showDate={arg} />;
    case 'login':
      return user ? <ShowsPage /> : <SignInGate />;
  }
  if (!user) {
    // a session that ran out: the tickets saved on this device still open (offline at the door)
    const last = cachedUser();
    if (page === 'tickets' && arg && last && loadTickets(last.id, arg)) return <TicketsPage key={arg} orderId={arg} userId={last.id} />;
    return <SignInGate />;
  }
  const isStaff = user.role === 'staff' || user.role === 'admin';
  const needs = (role: 'staff' | 'admin') => <NeedsAccount role={role} onSwitchUser={onSwitchUser} />;
  // a link whose order id cannot be one (cut short, mistyped) is "not found" at once, not a failed request
  const orderLink = (page: (id: string) => JSX.Element) => (!arg ? <MyOrdersPage /> : isOrderId(arg) ? page(arg) : <OrderNotFound />);
  switch (page) {
    case 'order':
      return orderLink((id) => <OrderPage key={id} orderId={id} />);
    case 'orders':
      return arg ? <NotFound /> : <MyOrdersPage />;
    case 'tickets':
      return orderLink((id) => <TicketsPage key={id} orderId={id} userId={user.id} />);
    case 'pay':
      return orderLink((id) => <PayPage key={id} orderId={id} />);
    case 'door':
      return user.role === 'customer' ? needs('staff') : <DoorPage />;
    case 'payments':
      return isStaff ? <StaffPaymentsPage /> : needs('staff');
    case 'staff':
      return isStaff ? <StaffPage initialOrderId={arg} /> : needs('staff');
    case 'counter':
      return isStaff ? <CounterPage showDate={arg} /> : needs('staff');
    case 'reports':
      return isStaff ? <ReportsPage /> : needs('staff');
    case 'audit':
      return user.role === 'admin' ? <AuditPage /> : needs('admin');
    case 'referrers':
      return user.role === 'admin' ? <ReferrersPage /> : needs('admin');
    case 'admin':
      if (user.role !== 'admin') return needs('admin');
      return arg === 'shows' ? <AdminShowsPage /> : arg === 'users' ? <AdminUsersPage /> : <AdminPage />;
    default:
      return <NotFound />;
  }
}

function SignInGate() {
  const session = usePublicSession();
  return <LoginPage lang={session.lang} t={session.t} onSignedIn={session.signedIn} />;
}

export function NotFound() {
  const { t } = usePublicSession();
  return (
    <section class="card not-found" aria-labelledby="not-found-title" data-testid="not-found">
      <h1 id="not-found-title" tabIndex={-1}>{t('notFound')}</h1>
      <p>{t('notFoundText')}</p>
      <p>
        <a class="button-link" href={href()} data-testid="back-to-shows">← {t('backToShows')}</a>
      </p>
    </section>
  );
}

/**
 * A page for another kind of account (a customer on #/staff, staff on #/audit): says which account it needs and
 * who is signed in, with the way back and a sign-in as someone else (this page opens once they have signed in).
 */
function NeedsAccount({ role, onSwitchUser }: { role: 'staff' | 'admin'; onSwitchUser(): void }) {
  const { t, user } = usePublicSession();
  return (
    <section class="card not-found" aria-labelledby="needs-account-title" data-testid="needs-account" data-role={role}>
      <h1 id="needs-account-title" tabIndex={-1}>{t(role === 'admin' ? 'needAdmin' : 'needStaff')}</h1>
      {user && <p>{t('needAccountText', { email: user.email, role: t(`role_${user.role}`) })}</p>}
      <p class="actions">
        <a class="button-link" href={href()} data-testid="back-to-shows">← {t('backToShows')}</a>
        <button type="button" class="secondary" data-testid="switch-user" onClick={onSwitchUser}>{t('signInAsOther')}</button>
      </p>
    </section>
  );
}

/**
 * Catches any error while a page renders, so one broken page never blanks the app: the header stays, the page
 * says so and offers the way back and a reload. Keyed by the route, so going elsewhere (Back) starts afresh.
 */
function PageGuard({ children }: { children: ComponentChildren }) {
  const { t } = usePublicSession();
  const [error] = useErrorBoundary();
  if (!error) return <>{children}</>;
  return (
    <section class="card not-found" aria-labelledby="page-error-title" data-testid="page-error" role="alert">
      <h1 id="page-error-title">{t('pageFailed')}</h1>
      <p>{t('pageFailedText')}</p>
      <p class="actions">
        <a class="button-link" href={href()} data-testid="back-to-shows">← {t('backToShows')}</a>
        <button type="button" class="secondary" onClick={() => location.reload()}>{t('reload')}</button>
      </p>
    </section>
  );
}

/** Grey blocks where the page will be, while the session is checked. */
function PageSkeleton() {
  return (
    <div class="app" aria-busy="true">
      <header class="topbar" />
      <main class="content">
        <div class="skeleton skeleton-title" />
        <div class="skeleton skeleton-block" />
      </main>
    </div>
  );
}

/**
 * After every navigation: focus moves to the new page's heading (screen readers announce it) and the document
 * title becomes "<heading> · boxoffice". Pages load asynchronously, so the heading is waited for (a few seconds).
 */
function usePageFocus(route: string[], lang: Lang) {
  const first = useRef(true);
  const key = route.join('/');
  useEffect(() => {
    const moveFocus = !first.current;
    first.current = false;
    let focused = false;
    // The title follows the heading for as long as the route is shown: a page that loads, then turns out to be
    // "not found", renames itself (and never keeps the previous page's title).
    const apply = () => {
      const h1 = document.querySelector<HTMLElement>('main h1');
      if (!h1) return;
      const title = `${h1.textContent?.trim()} · boxoffice`;
      if (document.title !== title) document.title = title;
      if (moveFocus && !focused) {
        if (!h1.hasAttribute('tabindex')) h1.setAttribute('tabindex', '-1');
        h1.focus({ preventScroll: false });
      }
      focused = true;
    };
    apply();
    const observer = new MutationObserver(apply);
    observer.observe(document.querySelector('main') ?? document.body, { childList: true, subtree: true, characterData: true });
    return () => observer.disconnect();
  }, [key]);
  // A language switch renames the page.
  useEffect(() => {
    const h1 = document.querySelector<HTMLElement>('main h1');
    if (h1) document.title = `${h1.textContent?.trim()} · boxoffice`;
  });
  void lang;
}

/** The token's expiry (ms since epoch) from its payload, if it is a readable JWT. */
function tokenExpiry(token: string | undefined): number | undefined {
  try {
    const payload = JSON.parse(atob(token!.split('.')[1].replace(/-/g, '+').replace(/_/g, '/'))) as { exp?: unknown };
    return typeof payload.exp === 'number' ? payload.exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}
