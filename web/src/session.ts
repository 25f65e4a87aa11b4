import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import { BoxofficeError, connectSocket, createClient, type BoxofficeClient, type BoxofficeSocket, type Lang, type User } from '../../src/client/index.ts';
import { translate, type T } from './i18n.ts';

const TOKEN_KEY = 'boxoffice.token';
const LANG_KEY = 'boxoffice.lang';
const USER_KEY = 'boxoffice.user';

function storedLang(): Lang {
  const saved = localStorage.getItem(LANG_KEY);
  if (saved === 'th' || saved === 'en') return saved;
  return navigator.language.toLowerCase().startsWith('th') ? 'th' : 'en';
}

/** The one API client and socket of the page. The socket reads the current token on every (re)connect. */
export const client: BoxofficeClient = createClient({
  baseUrl: '',
  token: localStorage.getItem(TOKEN_KEY) ?? undefined,
  lang: storedLang(),
  onTokenChange: (token) => (token ? localStorage.setItem(TOKEN_KEY, token) : localStorage.removeItem(TOKEN_KEY)),
});

export const socket: BoxofficeSocket = connectSocket(client);

/** The signed-in user as last confirmed by the server, so the app opens offline (saved tickets, the door scanner). */
export function saveUser(user: User | undefined): void {
  if (user) localStorage.setItem(USER_KEY, JSON.stringify(user));
  else localStorage.removeItem(USER_KEY);
}

export function cachedUser(): User | undefined {
  try {
    const raw = localStorage.getItem(USER_KEY);
    return raw ? (JSON.parse(raw) as User) : undefined;
  } catch {
    return undefined;
  }
}

export function saveLang(lang: Lang): void {
  localStorage.setItem(LANG_KEY, lang);
  client.setLang(lang);
  document.documentElement.lang = lang;
}

export type ToastKind = 'info' | 'success' | 'error';

/** What every page gets: the user when signed in, the language, and the app's notices. */
export interface PublicSession {
  user: User | undefined;
  lang: Lang;
  t: T;
  online: boolean;
  /** `key`: a toast about the same thing (e.g. the seat cap) replaces the one already shown instead of stacking on it */
  toast(message: string, kind?: ToastKind, key?: string): void;
  /** Shows an error from any SDK call as a toast in the user's language (with the wait for a rate limit). */
  toastError(err: unknown): void;
  /** A sign-in or registration from inside a page (e.g. the show page's dialog at the first hold). */
  signedIn(user: User): void;
}

/** The session of pages that need an account (the app shows the sign-in form before them). */
export interface Session extends PublicSession {
  user: User;
}

export const SessionContext = createContext<PublicSession | null>(null);

/** For pages behind sign-in. */
export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session?.user) throw new Error('useSession outside a signed-in page');
  return session as Session;
}

/** For pages anyone may see (the shows, the seat maps). */
export function usePublicSession(): PublicSession {
  const session = useContext(SessionContext);
  if (!session) throw new Error('usePublicSession outside SessionContext');
  return session;
}

/** An SDK error in the user's language; a rate limit says how long to wait (from Retry-After). */
export function errorText(err: unknown, lang: Lang): string {
  if (err instanceof BoxofficeError && err.code === 'RATE_LIMITED' && err.retryAfterMs !== undefined) {
    return translate(lang, 'rateLimited', { n: Math.max(1, Math.ceil(err.retryAfterMs / 1000)) });
  }
  if (err instanceof BoxofficeError) return err.localized(lang);
  return err instanceof Error ? err.message : String(err);
}

export const tFor = (lang: Lang): T => (key, params) => translate(lang, key, params);
