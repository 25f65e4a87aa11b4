import { useEffect, useState } from 'react';
import type { Lang, User } from 'boxoffice/client';
import { client } from './boxoffice.ts';
import { useHealth } from './hooks.ts';
import { SeatPicker } from './SeatPicker.tsx';
import { SignIn } from './SignIn.tsx';

export function App() {
  const [lang, setLang] = useState<Lang>(client.getLang());
  const [user, setUser] = useState<User | undefined>();
  const [restoring, setRestoring] = useState(client.getToken() !== undefined);
  const health = useHealth();

  // A token kept from an earlier visit: find out who it belongs to (or drop it if it expired).
  useEffect(() => {
    if (client.getToken() === undefined) return;
    client
      .me()
      .then(setUser, () => client.logout())
      .finally(() => setRestoring(false));
  }, []);

  const changeLang = (next: Lang) => {
    client.setLang(next); // errors from now on arrive in this language
    setLang(next);
    document.documentElement.lang = next;
  };

  const signOut = () => {
    client.logout();
    setUser(undefined);
  };

  return (
    <main>
      <header>
        <h1>boxoffice · React</h1>
        <div className="actions">
          <label>
            Language
            <select data-testid="lang-select" value={lang} onChange={(e) => changeLang(e.target.value as Lang)}>
              <option value="en">English</option>
              <option value="th">ไทย</option>
            </select>
          </label>
          <span className="health" data-testid="health" data-health={health}>
            Server: {health}
          </span>
          {user && (
            <>
              <span data-testid="user">{user.email}</span>
              <button type="button" onClick={signOut}>
                Sign out
              </button>
            </>
          )}
        </div>
      </header>
      {restoring ? <p>Loading…</p> : user ? <SeatPicker lang={lang} onSignedOut={signOut} /> : <SignIn lang={lang} onSignedIn={setUser} />}
    </main>
  );
}
