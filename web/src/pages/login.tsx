/** @jsxImportSource preact */
import { useState } from 'preact/hooks';
import type { Lang, User } from '../../../src/client/index.ts';
import type { T } from '../i18n.ts';
import { client, errorText } from '../session.ts';

/** Sign-in and quick registration. `embedded`: inside a dialog (no card around it). */
export function LoginPage({ lang, t, onSignedIn, embedded }: { lang: Lang; t: T; onSignedIn(user: User): void; embedded?: boolean }) {
  const [mode, setMode] = useState<'login' | 'register'>('login');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const result = mode === 'login' ? await client.login({ email, password }) : await client.register({ email, password, name });
      onSignedIn(result.user);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class={embedded ? 'login login-embedded' : 'card login'} aria-labelledby="login-title">
      <h1 id="login-title">{mode === 'login' ? t('signIn') : t('register')}</h1>
      <form onSubmit={submit} data-testid="login-form">
        {mode === 'register' && (
          <label>
            {t('name')}
            <input data-testid="login-name" value={name} onInput={(e) => setName(e.currentTarget.value)} required maxLength={100} autoComplete="name" />
          </label>
        )}
        <label>
          {t('email')}
          <input data-testid="login-email" type="email" value={email} onInput={(e) => setEmail(e.currentTarget.value)} required autoComplete="email" />
        </label>
        <label>
          {t('password')}
          <input
            data-testid="login-password"
            type="password"
            value={password}
            onInput={(e) => setPassword(e.currentTarget.value)}
            required
            minLength={mode === 'register' ? 8 : 1}
            autoComplete={mode === 'login' ? 'current-password' : 'new-password'}
          />
          {mode === 'register' && <small>{t('passwordHint')}</small>}
        </label>
        {error !== undefined && (
          <p class="form-error" role="alert" data-testid="login-error">{errorText(error, lang)}</p>
        )}
        <button class="primary" type="submit" disabled={busy} data-testid="login-submit">
          {mode === 'login' ? t('signIn') : t('register')}
        </button>
      </form>
      <button
        type="button"
        class="link-button"
        data-testid="login-mode-toggle"
        onClick={() => {
          setMode(mode === 'login' ? 'register' : 'login');
          setError(undefined);
        }}
      >
        {mode === 'login' ? t('noAccount') : t('haveAccount')}
      </button>
    </section>
  );
}
