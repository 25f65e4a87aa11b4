import { Component, signal } from '@angular/core';
import type { Lang, User } from 'boxoffice/client';
import { client } from './boxoffice.ts';
import { SeatPickerComponent } from './seat-picker.component.ts';
import { SignInComponent } from './sign-in.component.ts';
import { healthPolling } from './status.ts';

@Component({
  selector: 'app-root',
  imports: [SeatPickerComponent, SignInComponent],
  template: `
    <main>
      <header>
        <h1>boxoffice · Angular</h1>
        <div class="actions">
          <label>
            Language
            <select data-testid="lang-select" [value]="lang()" (change)="changeLang($any($event.target).value)">
              <option value="en">English</option>
              <option value="th">ไทย</option>
            </select>
          </label>
          <span class="health" data-testid="health" [attr.data-health]="health()">Server: {{ health() }}</span>
          @if (user(); as u) {
            <span data-testid="user">{{ u.email }}</span>
            <button type="button" (click)="signOut()">Sign out</button>
          }
        </div>
      </header>
      @if (restoring()) {
        <p>Loading…</p>
      } @else if (user()) {
        <app-seat-picker [lang]="lang()" (signedOut)="signOut()" />
      } @else {
        <app-sign-in [lang]="lang()" (signedIn)="user.set($event)" />
      }
    </main>
  `,
})
export class AppComponent {
  readonly lang = signal<Lang>(client.getLang());
  readonly user = signal<User | undefined>(undefined);
  readonly restoring = signal(client.getToken() !== undefined);
  readonly health = healthPolling();

  constructor() {
    // A token kept from an earlier visit: find out who it belongs to (or drop it if it expired).
    if (client.getToken() !== undefined) {
      client
        .me()
        .then((u) => this.user.set(u), () => client.logout())
        .finally(() => this.restoring.set(false));
    }
  }

  changeLang(next: Lang): void {
    client.setLang(next); // errors from now on arrive in this language
    this.lang.set(next);
    document.documentElement.lang = next;
  }

  signOut(): void {
    client.logout();
    this.user.set(undefined);
  }
}
