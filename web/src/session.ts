import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import { BoxofficeError, connectSocket, createClient, type BoxofficeClient, type BoxofficeSocket, type Lang, type User } from '../../src/client/index.ts';
import { translate, type T } from './i18n.ts';

const TOKEN_KEY = 'boxoffice.token';
const LANG_KEY = 'boxoffice.lang';

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

export function saveLang(lang: Lang): void {
  localStorage.setItem(LANG_KEY, lang);
  client.setLang(lang);
  document.documentElement.lang = lang;
}

export type ToastKind = 'info' | 'success' | 'error';

export interface Session {
  user: User;
  lang: Lang;
  t: T;
  online: boolean;
  toast(message: string, kind?: ToastKind): void;
  /** Shows an error from any SDK call as a toast in the user's language. */
  toastError(err: unknown): void;
}

export const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside SessionContext');
  return session;
}

export function errorText(err: unknown, lang: Lang): string {
  if (err instanceof BoxofficeError) return err.localized(lang);
  return err instanceof Error ? err.message : String(err);
}

export const tFor = (lang: Lang): T => (key, params) => translate(lang, key, params);
