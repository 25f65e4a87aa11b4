/** @jsxImportSource preact */
import { useState } from 'preact/hooks';
import { BoxofficeError, type User } from '../../../src/client/index.ts';
import { client, errorText, useSession } from '../session.ts';
import { useLoad } from '../hooks.ts';
import { formatShortDate, type StringKey } from '../i18n.ts';
import { href } from '../router.ts';
import { ErrorBox, TableScroll } from '../widgets.tsx';

const PAGE_SIZE = 25;
type Role = User['role'];
type StaffRole = Exclude<Role, 'customer'>;
const ROLE_WORD: Record<Role, StringKey> = { customer: 'roleCustomer', staff: 'roleStaff', door: 'roleDoor', admin: 'roleAdmin' };
/** what each role may do, shown beside the choice (the rules live in the server's auth plugin) */
const ROLE_HINT: Record<StaffRole, StringKey> = { staff: 'roleStaffHint', door: 'roleDoorHint', admin: 'roleAdminHint' };
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

type FieldErrors = Partial<Record<'name' | 'email' | 'password', StringKey>>;

/**
 * #/admin/users (admin): the accounts, newest first, filtered by role, and a form that creates staff, door and
 * admin accounts (POST /api/v1/users). Bad input is named on its field before anything is sent; an address
 * that already has an account is named on the email field (EMAIL_TAKEN).
 */
export function AdminUsersPage() {
  const session = useSession();
  const { t, lang } = session;
  const [role, setRole] = useState<Role | ''>('');
  const [page, setPage] = useState(1);
  const users = useLoad((signal) => client.listUsers({ page, limit: PAGE_SIZE, ...(role ? { role } : {}) }, { signal }), [page, role]);

  const [form, setForm] = useState({ name: '', email: '', password: '', role: 'door' as StaffRole, language: lang });
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  const [serverError, setServerError] = useState<{ field?: 'email'; error: unknown } | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const [created, setCreated] = useState<User | undefined>(undefined);

  const validate = (): FieldErrors => {
    const errors: FieldErrors = {};
    if (!form.name.trim()) errors.name = 'nameRequired';
    if (!EMAIL.test(form.email.trim())) errors.email = 'emailInvalid';
    if (form.password.length < 8) errors.password = 'passwordShort';
    else if (form.password.length > 128) errors.password = 'passwordLong';
    return errors;
  };

  const submit = async (e: Event) => {
    e.preventDefault();
    setCreated(undefined);
    setServerError(undefined);
    const errors = validate();
    setFieldErrors(errors);
    if (Object.keys(errors).length) {
      const first = (['name', 'email', 'password'] as const).find((k) => errors[k]);
      document.querySelector<HTMLInputElement>(`[data-testid="account-${first}"]`)?.focus();
      return;
    }
    setBusy(true);
    try {
      const user = await client.createUser({ name: form.name.trim(), email: form.email.trim(), password: form.password, role: form.role, language: form.language });
      setCreated(user);
      setForm({ ...form, name: '', email: '', password: '' });
      session.toast(t('userCreated', { name: user.name }), 'success');
      setRole('');
      setPage(1);
      users.reload();
    } catch (err) {
      const taken = err instanceof BoxofficeError && err.code === 'EMAIL_TAKEN';
      setServerError({ field: taken ? 'email' : undefined, error: err });
    } finally {
      setBusy(false);
    }
  };

  const field = (name: keyof FieldErrors) => {
    const msg = fieldErrors[name] ? t(fieldErrors[name]!) : serverError?.field === name ? errorText(serverError.error, lang) : undefined;
    return msg ? (
      <small class="field-error" id={`account-${name}-error`} role="alert" data-testid={`account-${name}-error`}>
        {msg}
      </small>
    ) : undefined;
  };
  const invalid = (name: keyof FieldErrors) => (fieldErrors[name] || serverError?.field === name ? { 'aria-invalid': true, 'aria-describedby': `account-${name}-error` } : {});

  const data = users.data;
  const pages = data ? Math.max(1, Math.ceil(data.total / data.limit)) : 1;

  return (
    <section class="admin-page users-page" aria-labelledby="users-title">
      <p>
        <a href={href('admin')}>← {t('admin')}</a>
      </p>
      <h1 id="users-title">{t('users')}</h1>
      <div class="users-layout">
        <form class="card user-form" onSubmit={submit} noValidate data-testid="user-form">
          <h2>{t('createAccount')}</h2>
          <label>
            {t('name')}
            <input data-testid="account-name" value={form.name} maxLength={100} autoComplete="off" {...invalid('name')} onInput={(e) => setForm({ ...form, name: e.currentTarget.value })} />
            {field('name')}
          </label>
          <label>
            {t('email')}
            <input data-testid="account-email" type="email" value={form.email} maxLength={254} autoComplete="off" {...invalid('email')} onInput={(e) => setForm({ ...form, email: e.currentTarget.value })} />
            {field('email')}
          </label>
          <label>
            {t('password')}
            <input data-testid="account-password" type="password" value={form.password} autoComplete="new-password" {...invalid('password')} onInput={(e) => setForm({ ...form, password: e.currentTarget.value })} />
            {field('password') ?? <small>{t('passwordHint')}</small>}
          </label>
          <fieldset class="role-choice">
            <legend>{t('role')}</legend>
            {(['door', 'staff', 'admin'] as const).map((r) => (
              <label key={r} class="inline">
                <input type="radio" name="role" value={r} data-testid={`user-role-${r}`} checked={form.role === r} onChange={() => setForm({ ...form, role: r })} />
                <span>
                  <strong>{t(ROLE_WORD[r])}</strong> <span class="muted">{t(ROLE_HINT[r])}</span>
                </span>
              </label>
            ))}
          </fieldset>
          <label>
            {t('mailLanguage')}
            <select data-testid="user-language" value={form.language} onChange={(e) => setForm({ ...form, language: e.currentTarget.value as 'en' | 'th' })}>
              <option value="th">ไทย</option>
              <option value="en">English</option>
            </select>
          </label>
          {serverError && !serverError.field && <ErrorBox error={serverError.error} />}
          {created && (
            <p class="notice notice-success" role="status" data-testid="user-created">
              {t('userCreatedHint', { name: created.name, email: created.email, role: t(ROLE_WORD[created.role]) })}
            </p>
          )}
          <button type="submit" class="primary" data-testid="user-submit" disabled={busy}>
            {busy ? t('loading') : t('createAccount')}
          </button>
        </form>

        <div class="card users-list">
          <div class="users-toolbar">
            <label class="inline">
              {t('role')}
              <select
                data-testid="users-role-filter"
                value={role}
                onChange={(e) => {
                  setRole(e.currentTarget.value as Role | '');
                  setPage(1);
                }}
              >
                <option value="">{t('allRoles')}</option>
                {(['customer', 'staff', 'door', 'admin'] as const).map((r) => (
                  <option key={r} value={r}>
                    {t(ROLE_WORD[r])}
                  </option>
                ))}
              </select>
            </label>
            {data && <span class="muted" data-testid="users-total">{t('usersTotal', { n: data.total })}</span>}
          </div>
          {users.error !== undefined && <ErrorBox error={users.error} onRetry={users.reload} />}
          {!data && users.loading && <p class="loading">{t('loading')}</p>}
          {data?.items.length === 0 && <p class="empty">{t('noUsers')}</p>}
          {data && data.items.length > 0 && (
            <TableScroll label={t('users')}>
              <table class="users-table" data-testid="users-table">
                <thead>
                  <tr>
                    <th scope="col">{t('name')}</th>
                    <th scope="col">{t('email')}</th>
                    <th scope="col">{t('role')}</th>
                    <th scope="col">{t('since')}</th>
                  </tr>
                </thead>
                <tbody>
                  {data.items.map((u) => (
                    <tr key={u.id} data-testid="user-row" data-email={u.email} data-role={u.role}>
                      <td>{u.name}</td>
                      <td class="users-email">{u.email}</td>
                      <td>
                        <span class={`badge role-${u.role}`}>{t(ROLE_WORD[u.role])}</span>
                      </td>
                      <td>{formatShortDate(lang, u.createdAt.slice(0, 10))}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableScroll>
          )}
          {data && pages > 1 && (
            <nav class="pager" aria-label={t('pages')}>
              <button type="button" class="small" disabled={page <= 1} onClick={() => setPage(page - 1)}>
                ← {t('previous')}
              </button>
              <span>{t('pageOf', { n: page, m: pages })}</span>
              <button type="button" class="small" disabled={page >= pages} onClick={() => setPage(page + 1)} data-testid="users-next">
                {t('next')} →
              </button>
            </nav>
          )}
        </div>
      </div>
    </section>
  );
}
