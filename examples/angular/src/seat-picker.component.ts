import { Component, EventEmitter, Input, Output, computed, effect, inject, signal, type OnInit } from '@angular/core';
import { BoxofficeError, PICK_LOOKS, randomUuid, type Lang, type LiveSeat, type Order, type Show } from 'boxoffice/client';
import { client, formatCountdown, formatPrice, noticeToUiError, seatsByZone, toUiError, type UiError } from './boxoffice.ts';
import { ShowLiveStore } from './show-live.store.ts';
import { browserOnline, tick } from './status.ts';

@Component({
  selector: 'app-seat-picker',
  providers: [ShowLiveStore],
  template: `
    @if (failure() && !ready()) {
      <p class="error" role="alert" data-testid="error">{{ failureMessage() }}</p>
    } @else if (!show() || !ready()) {
      <p>Loading the seat map…</p>
    } @else {
      <section data-testid="show" [attr.data-show-date]="show()!.showDate" [attr.aria-busy]="busy()">
        <h2>{{ show()!.title }} · {{ show()!.showDate }}</h2>
        @if (!online()) {
          <p class="banner" role="status" data-testid="offline-banner">Offline: the map catches up by itself when the connection is back.</p>
        }
        @if (error(); as e) {
          <p class="error" role="alert" data-testid="error" [attr.data-code]="e.code">
            {{ e.message }}@if (e.seatIds.length > 0) { ({{ e.seatIds.join(', ') }})}
          </p>
        }

        <div class="actions">
          <button type="button" data-testid="release-button" [disabled]="busy() || held().length === 0" (click)="release()">Release my seats</button>
          <button type="button" data-testid="order-button" [disabled]="busy() || held().length === 0 || !settled()" (click)="placeOrder()">
            Order {{ held().length }} seat(s)
          </button>
          <!-- #region countdown -->
          @if (countdown(); as left) {
            <span role="timer" aria-live="off" data-testid="countdown" class="countdown">Held for {{ left }}</span>
          }
          <!-- #endregion -->
        </div>

        @if (order(); as o) {
          <div class="order" data-testid="order">
            <p>
              Order <code data-testid="order-id">{{ o.id }}</code>:
              <strong data-testid="order-status" [attr.data-status]="o.status" role="status">{{ o.status }}</strong>
            </p>
            <p>
              Seats {{ orderSeats(o) }} · {{ price(o.total, o.currency) }}
              @if (o.status === 'PENDING') { · pay within {{ paymentLeft() }} }
            </p>
          </div>
        }

        <ul class="legend" aria-label="Legend">
          @for (look of looks; track look) {
            <li><span class="seat" [attr.data-status]="look" aria-hidden="true"></span>{{ look }}</li>
          }
        </ul>

        @for (group of zones(); track group.zone.id) {
          <div class="zone" role="group" [attr.aria-label]="group.zone.names[lang]">
            <h3>{{ group.zone.names[lang] }} · {{ price(group.zone.price, group.zone.currency) }}</h3>
            <div class="seats">
              @for (seat of group.seats; track seat.id) {
                <button
                  type="button"
                  class="seat"
                  [attr.data-seat-id]="seat.id"
                  [attr.data-status]="look(seat)"
                  [attr.aria-pressed]="look(seat) === 'pending' || look(seat) === 'mine'"
                  [attr.aria-label]="'Seat ' + seat.id + ', row ' + seat.row + ', ' + look(seat)"
                  [disabled]="!canToggle(seat)"
                  (click)="toggle(seat.id)"
                >
                  {{ seat.id }}
                </button>
              }
            </div>
          </div>
        }
      </section>
    }
  `,
})
export class SeatPickerComponent implements OnInit {
  @Input({ required: true }) lang!: Lang;
  @Output() readonly signedOut = new EventEmitter<void>();

  private readonly store = inject(ShowLiveStore);
  private readonly tick = tick(1000);
  private readonly browserOnline = browserOnline();
  private orderKey: string | undefined;

  readonly looks = PICK_LOOKS;
  readonly show = signal<Show | undefined>(undefined);
  readonly showError = signal<unknown>(undefined);
  readonly error = signal<UiError | undefined>(undefined);
  readonly busy = signal(false);
  readonly order = signal<Order | undefined>(undefined);

  // Everything read from ShowLive depends on the store's `version` (bumped on every live change) or on the clock tick.
  readonly ready = computed(() => this.store.version() >= 0 && this.store.live()?.ready === true && this.store.picker() !== undefined);
  readonly online = computed(() => this.store.version() >= 0 && this.browserOnline() && this.store.live()?.online === true);
  readonly zones = computed(() => {
    this.store.version();
    const live = this.store.live();
    return live?.map ? seatsByZone(live.seats(), live.map.zones) : [];
  });
  readonly failure = computed(() => this.showError() ?? this.store.error());
  readonly failureMessage = computed(() => toUiError(this.failure(), this.lang).message);
  readonly paymentLeft = computed(() => {
    this.tick();
    const o = this.order();
    return o ? formatCountdown(Date.parse(o.expiresAt) - client.serverNow()) : '';
  });

  constructor() {
    // #region order-status
    // order-status-changed reaches the order's owner over the authenticated socket: PENDING → PAID | CANCELLED.
    effect((onCleanup) => {
      const live = this.store.live();
      const orderId = this.order()?.id;
      if (!live || !orderId) return;
      const off = live.onOrderStatus((event) => {
        if (event.orderId === orderId) client.getOrder(orderId).then((o) => this.order.set(o), (err) => this.handleError(err));
      });
      onCleanup(off);
    });
    // #endregion
  }

  ngOnInit(): void {
    client.listShows().then(
      (shows) => {
        const show = shows.find((s) => s.salesOpen);
        this.show.set(show);
        if (show) this.store.open(show.showDate);
      },
      (err: unknown) => this.showError.set(err),
    );
  }

  // #region handle-error
  handle(ui: UiError | undefined): void {
    this.error.set(ui);
    if (ui?.action === 'sign-in') this.signedOut.emit();
  }

  handleError(err: unknown): void {
    this.handle(toUiError(err, this.lang));
  }
  // #endregion

  // #region lock
  // The SDK's SeatPicker does the holding: a click picks (or releases) a seat, clicks within 300 ms go out as
  // one all-or-nothing lock, seats someone else took first are reported and the rest asked for again, and it
  // says when a hold runs out or is a minute from it. Its notices become the error line.
  private readonly notices = effect((onCleanup) => {
    const picker = this.store.picker();
    if (picker) onCleanup(picker.onNotice((notice) => this.handle(noticeToUiError(notice, this.lang))));
  });

  // The user's holds (the server's answer counts before the socket confirms it), soonest to expire first;
  // msLeft is counted against the server's clock.
  readonly held = computed(() => {
    this.store.version();
    this.tick();
    return this.store.picker()?.held() ?? [];
  });
  readonly countdown = computed(() => {
    const held = this.held();
    return held.length > 0 ? formatCountdown(held[0].msLeft) : undefined;
  });
  // #endregion

  readonly settled = computed(() => (this.store.version(), this.store.picker()?.settled ?? true));

  async release(): Promise<void> {
    this.error.set(undefined);
    await this.store.picker()?.releaseAll();
  }

  // #region order
  async placeOrder(): Promise<void> {
    this.busy.set(true);
    this.error.set(undefined);
    // One key per checkout, kept while the outcome is unknown: clicking again after a lost answer
    // returns the order the server already made instead of a second one.
    this.orderKey ??= randomUuid();
    try {
      const order = await client.createOrder(
        { showDate: this.show()!.showDate, seatIds: this.held().map((h) => h.seatId), customerName: client.user?.name },
        { idempotencyKey: this.orderKey },
      );
      this.orderKey = undefined;
      this.order.set(order);
    } catch (err) {
      // The server answered, so nothing was bought: the next try is a new checkout.
      if (!(err instanceof BoxofficeError && err.isNetworkError)) this.orderKey = undefined;
      this.handleError(err);
    } finally {
      this.busy.set(false);
    }
  }
  // #endregion

  toggle(seatId: string): void {
    this.store.picker()?.toggle(seatId);
  }

  look(seat: LiveSeat) {
    this.store.version();
    return this.store.picker()?.look(seat.id) ?? 'available';
  }

  canToggle(seat: LiveSeat): boolean {
    return this.store.picker()?.canToggle(seat.id) ?? false;
  }

  price(amount: number, currency: string): string {
    return formatPrice(amount, currency, this.lang);
  }

  orderSeats(order: Order): string {
    return order.seats.map((s) => s.seatId).join(', ');
  }
}
