/** @jsxImportSource preact */
import { useContext, useEffect, useMemo, useState } from 'preact/hooks';
import { BoxofficeError, type Lang, type User } from '../../src/client/index.ts';
import { LoginPage } from './pages/login.tsx';
import { ShowsPage } from './pages/shows.tsx';
import { ShowPage } from './pages/show.tsx';
import { OrderPage } from './pages/order.tsx';
import { MyOrdersPage } from './pages/my-orders.tsx';
import { StaffPage } from './pages/staff.tsx';
import { AdminPage } from './pages/admin.tsx';
import { Toasts, type Toast } from './toasts.tsx';
import { href, navigate, useRoute } from './router.ts';
import { SessionContext, client, errorText, saveLang, socket, tFor, type Session, type ToastKind } from './session.ts';

let toastId = 0;

export function App() {
  const [lang, setLang] = useState<Lang>(client.getLang());
  const [user, setUser] = useState<User | undefined>(undefined);
  const [checkingToken, setCheckingToken] = useState(client.getToken() !== undefined);
  const [online, setOnline] = useState(socket.connected);
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
        (me) => setUser(me),
        (err: unknown) => {
          if (err instanceof BoxofficeError && err.code === 'UNAUTHENTICATED') client.logout();
          else setStartupError(err);
        },
      )
      .finally(() => setCheckingToken(false));
  };
  useEffect(checkToken, []);

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

  const toast = (message: string, kind: ToastKind = 'info') => {
    const id = ++toastId;
    setToasts((list) => [...list.slice(-3), { id, message, kind }]);
    setTimeout(() => setToasts((list) => list.filter((x) => x.id !== id)), kind === 'error' ? 7000 : 4000);
  };

  const signedIn = (u: User) => {
    setUser(u);
    // Reconnect so the socket carries the new token (order events go to authenticated sockets only).
    socket.disconnect().connect();
    if (route[0] === 'login') navigate();
  };

  const signOut = () => {
    client.logout();
    setUser(undefined);
    socket.disconnect().connect();
    navigate();
  };

  if (checkingToken) return <p class="loading">{t('loading')}</p>;
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

  const session: Session | null = user
    ? {
        user,
        lang,
        t,
        online,
        toast,
        toastError: (err) => {
          toast(errorText(err, lang), 'error');
          // The session ended (token expired or revoked): back to the sign-in form.
          if (err instanceof BoxofficeError && err.code === 'UNAUTHENTICATED') signOut();
        },
      }
    : null;

  return (
    <div class="app">
      <header class="topbar">
        <a class="brand" href={href()} data-testid="nav-home">
          <svg class="brand-mark" viewBox="0 0 20 20" aria-hidden="true">
            <rect x="1" y="1" width="18" height="18" rx="3" fill="#c8102e" />
            <rect x="5" y="5" width="10" height="10" fill="none" stroke="#fff" stroke-width="1.6" />
          </svg>
          {t('appName')}
        </a>
        {user && (
          <nav class="nav" aria-label="main">
            <a href={href()} data-testid="nav-shows">{t('shows')}</a>
            <a href={href('orders')} data-testid="nav-orders">{t('myOrders')}</a>
            {(user.role === 'staff' || user.role === 'admin') && <a href={href('staff')} data-testid="nav-staff">{t('staff')}</a>}
            {user.role === 'admin' && <a href={href('admin')} data-testid="nav-admin">{t('admin')}</a>}
          </nav>
        )}
        <div class="topbar-end">
          <button
            class="lang-button"
            type="button"
            data-testid="lang-toggle"
            lang={lang === 'en' ? 'th' : 'en'}
            aria-label={t('language')}
            title={t('language')}
            onClick={() => setLang(lang === 'en' ? 'th' : 'en')}
          >
            {t('languageShort')}
          </button>
          {user && (
            <>
              <span class="user-name" data-testid="user-name" title={user.email}>{user.name}</span>
              <button class="link-button" type="button" data-testid="sign-out" onClick={signOut}>{t('signOut')}</button>
            </>
          )}
        </div>
      </header>
      {user && !online && (
        <div class="offline-banner" role="status" data-testid="offline-banner">
          {t('offline')}
        </div>
      )}
      <main class="content">
        {session ? (
          <SessionContext.Provider value={session}>
            <Page route={route} user={user!} />
          </SessionContext.Provider>
        ) : (
          <LoginPage lang={lang} t={t} onSignedIn={signedIn} />
        )}
      </main>
      <Toasts toasts={toasts} closeLabel={t('close')} onClose={(id) => setToasts((l) => l.filter((x) => x.id !== id))} />
    </div>
  );
}

function Page({ route, user }: { route: string[]; user: User }) {
  const [page, arg] = route;
  const isStaff = user.role === 'staff' || user.role === 'admin';
  switch (page) {
    case undefined:
    case 'login':
      return <ShowsPage />;
    case 'show':
      return arg ? <ShowPage key={arg} showDate={arg} /> : <ShowsPage />;
    case 'order':
      return arg ? <OrderPage key={arg} orderId={arg} /> : <MyOrdersPage />;
    case 'orders':
      return <MyOrdersPage />;
    case 'staff':
      return isStaff ? <StaffPage initialOrderId={arg} /> : <NotFound />;
    case 'admin':
      return user.role === 'admin' ? <AdminPage /> : <NotFound />;
    default:
      return <NotFound />;
  }
}

function NotFound() {
  const session = useContext(SessionContext);
  return (
    <p class="empty">
      {session?.t('notFound')} <a href={href()}>← {session?.t('shows')}</a>
    </p>
  );
}

