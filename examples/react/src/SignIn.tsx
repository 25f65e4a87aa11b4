import { useState, type FormEvent } from 'react';
import type { Lang, User } from 'boxoffice/client';
import { client, toUiError, type UiError } from './boxoffice.ts';

export function SignIn({ lang, onSignedIn }: { lang: Lang; onSignedIn: (user: User) => void }) {
  const [mode, setMode] = useState<'login' | 'register'>('login');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [name, setName] = useState('');
  const [error, setError] = useState<UiError>();
  const [busy, setBusy] = useState(false);

  // #region sign-in
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      // Both keep the access token in the client (and, through onTokenChange, in localStorage).
      const { user } = mode === 'login' ? await client.login({ email, password }) : await client.register({ email, password, name });
      onSignedIn(user);
    } catch (err) {
      setError(toUiError(err, lang)); // INVALID_CREDENTIALS, EMAIL_TAKEN, VALIDATION_FAILED, RATE_LIMITED…
    } finally {
      setBusy(false);
    }
  };
  // #endregion

  return (
    <form data-testid="signin-form" onSubmit={submit} aria-busy={busy}>
      <h2>{mode === 'login' ? 'Sign in' : 'Create an account'}</h2>
      {mode === 'register' && (
        <label>
          Name
          <input data-testid="signin-name" value={name} onChange={(e) => setName(e.target.value)} required autoComplete="name" />
        </label>
      )}
      <label>
        Email
        <input data-testid="signin-email" type="email" value={email} onChange={(e) => setEmail(e.target.value)} required autoComplete="email" />
      </label>
      <label>
        Password
        <input
          data-testid="signin-password"
          type="password"
          minLength={mode === 'register' ? 8 : undefined}
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          required
          autoComplete={mode === 'login' ? 'current-password' : 'new-password'}
        />
      </label>
      {error && (
        <p className="error" role="alert" data-testid="error" data-code={error.code}>
          {error.message}
        </p>
      )}
      <button type="submit" data-testid="signin-submit" disabled={busy}>
        {mode === 'login' ? 'Sign in' : 'Create account'}
      </button>
      <button type="button" data-testid="signin-mode" onClick={() => setMode(mode === 'login' ? 'register' : 'login')}>
        {mode === 'login' ? 'New here? Create an account' : 'I already have an account'}
      </button>
    </form>
  );
}
