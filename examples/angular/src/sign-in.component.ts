import { Component, EventEmitter, Input, Output, signal } from '@angular/core';
import type { Lang, User } from 'boxoffice/client';
import { client, toUiError, type UiError } from './boxoffice.ts';

@Component({
  selector: 'app-sign-in',
  template: `
    <form data-testid="signin-form" [attr.aria-busy]="busy()" (submit)="$event.preventDefault(); submit()">
      <h2>{{ mode() === 'login' ? 'Sign in' : 'Create an account' }}</h2>
      @if (mode() === 'register') {
        <label>
          Name
          <input data-testid="signin-name" [value]="name()" (input)="name.set($any($event.target).value)" required autocomplete="name" />
        </label>
      }
      <label>
        Email
        <input data-testid="signin-email" type="email" [value]="email()" (input)="email.set($any($event.target).value)" required autocomplete="email" />
      </label>
      <label>
        Password
        <input
          data-testid="signin-password"
          type="password"
          [attr.minlength]="mode() === 'register' ? 8 : null"
          [value]="password()"
          (input)="password.set($any($event.target).value)"
          required
          [attr.autocomplete]="mode() === 'login' ? 'current-password' : 'new-password'"
        />
      </label>
      @if (error(); as e) {
        <p class="error" role="alert" data-testid="error" [attr.data-code]="e.code">{{ e.message }}</p>
      }
      <button type="submit" data-testid="signin-submit" [disabled]="busy()">{{ mode() === 'login' ? 'Sign in' : 'Create account' }}</button>
      <button type="button" data-testid="signin-mode" (click)="mode.set(mode() === 'login' ? 'register' : 'login')">
        {{ mode() === 'login' ? 'New here? Create an account' : 'I already have an account' }}
      </button>
    </form>
  `,
})
export class SignInComponent {
  @Input({ required: true }) lang!: Lang;
  @Output() readonly signedIn = new EventEmitter<User>();

  readonly mode = signal<'login' | 'register'>('login');
  readonly email = signal('');
  readonly password = signal('');
  readonly name = signal('');
  readonly error = signal<UiError | undefined>(undefined);
  readonly busy = signal(false);

  // #region sign-in
  async submit(): Promise<void> {
    this.busy.set(true);
    this.error.set(undefined);
    try {
      // Both keep the access token in the client (and, through onTokenChange, in localStorage).
      const { user } =
        this.mode() === 'login'
          ? await client.login({ email: this.email(), password: this.password() })
          : await client.register({ email: this.email(), password: this.password(), name: this.name() });
      this.signedIn.emit(user);
    } catch (err) {
      this.error.set(toUiError(err, this.lang)); // INVALID_CREDENTIALS, EMAIL_TAKEN, VALIDATION_FAILED, RATE_LIMITED…
    } finally {
      this.busy.set(false);
    }
  }
  // #endregion
}
