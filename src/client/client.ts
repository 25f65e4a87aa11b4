import type { Static } from 'typebox';
import type {
  AuditPage,
  AuditQuery,
  AuthResult,
  BlockSeatsBody,
  BlockSeatsResult,
  CancelShowBody,
  CancelShowResult,
  UnblockSeatsBody,
  UpdateShowBody,
  BoxOfficeSaleBody,
  CounterQr,
  CounterSettings,
  CancelBody,
  CheckinBatchBody,
  CheckinBody,
  CheckinCount,
  CheckinResult,
  CreateUserBody,
  ListUsersQuery,
  Manifest,
  Ticket,
  UserList,
  CreateReferrerBody,
  DaySheet,
  Referrer,
  ReferrerReport,
  Refund,
  RefundBody,
  ShowReport,
  CleanupResult,
  CreateOrderBody,
  CreateShowBody,
  CreateShowResult,
  Health,
  ListOrdersQuery,
  LockBestBody,
  LockBody,
  LockResult,
  LoginBody,
  MeResult,
  Order,
  OrderList,
  OrderResult,
  OnlineMethod,
  PaymentBody,
  Payment,
  PaymentMethods,
  PaymentResult,
  RefundQueue,
  RegisterBody,
  ReleaseBody,
  ReleaseResult,
  SeatMap,
  SeatStatus,
  Show,
  ShowList,
  ShowState,
  StaticLayout,
  ListShowsQuery,
  Slip,
  SlipList,
  SlipStatus,
  Stats,
  User,
} from '../contract/index.ts';
import type { Lang } from './errors.ts';
import { DEFAULT_RETRY, HttpClient, defaultSleep, type HttpRequest, type RetryPolicy } from './http.ts';

/** Paging of the shows list: `limit` per page, the page after `cursor`, nights that are over with `includePast`. */
export type ShowsPageQuery = Pick<ListShowsQuery, 'includePast' | 'limit' | 'cursor'>;

export interface ClientOptions {
  /** Where the server is, e.g. `http://localhost:3000`; `''` means the page's own origin (browser). */
  baseUrl: string;
  /** A JWT from an earlier session. login/register set it too. */
  token?: string;
  /** Language of error messages (sent as Accept-Language). Default `en`. */
  lang?: Lang;
  /** Defaults to the global fetch. */
  fetch?: typeof fetch;
  /** socket.io server URL when it differs from baseUrl. */
  socketUrl?: string;
  retry?: Partial<RetryPolicy>;
  /** Injectable for tests: how to wait between retries. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Injectable for tests: jitter source, uniform in [0, 1). */
  random?: () => number;
  /** Injectable for tests: makes the Idempotency-Key of createOrder. */
  idempotencyKey?: () => string;
  /** Called whenever the token changes (login, register, logout), e.g. to keep it in localStorage. */
  onTokenChange?: (token: string | undefined) => void;
}

/** Options every call accepts. */
export interface CallOptions {
  signal?: AbortSignal;
}

/**
 * Typed access to the boxoffice REST API. Keeps the access token after login/register, sends
 * Accept-Language, retries what is safe to retry, and throws BoxofficeError on any failure.
 */
export class BoxofficeClient {
  readonly baseUrl: string;
  readonly socketUrl: string;
  /** The signed-in user, once login, register or me() has answered. */
  user: User | undefined;

  private token: string | undefined;
  private lang: Lang;
  private layout: Promise<StaticLayout> | undefined;
  private clockOffsetMs = 0;
  private readonly http: HttpClient;
  private readonly newKey: () => string;
  private readonly onTokenChange?: (token: string | undefined) => void;

  constructor(options: ClientOptions) {
    this.baseUrl = options.baseUrl;
    this.socketUrl = options.socketUrl ?? options.baseUrl;
    this.token = options.token;
    this.lang = options.lang ?? 'en';
    this.newKey = options.idempotencyKey ?? randomUuid;
    this.onTokenChange = options.onTokenChange;
    // A bare reference to the browser's fetch must keep `window` as `this`, or it throws "Illegal invocation".
    const fetchFn = options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => globalThis.fetch(input, init));
    this.http = new HttpClient({
      baseUrl: options.baseUrl,
      getToken: () => this.token,
      getLang: () => this.lang,
      env: { fetch: fetchFn, sleep: options.sleep ?? defaultSleep, random: options.random ?? Math.random },
      retry: { ...DEFAULT_RETRY, ...options.retry },
      onServerTime: (offset) => {
        this.clockOffsetMs = offset;
      },
    });
  }

  // ---- session -------------------------------------------------------------------------------

  getToken(): string | undefined {
    return this.token;
  }

  setToken(token: string | undefined): void {
    this.token = token;
    if (token === undefined) this.user = undefined;
    this.onTokenChange?.(token);
  }

  getLang(): Lang {
    return this.lang;
  }

  setLang(lang: Lang): void {
    this.lang = lang;
  }

  /**
   * The current time by the server's clock, as far as the answers' Date headers tell (ms since epoch).
   * Lock and payment deadlines are server times: count down against this, so a phone whose clock is
   * minutes off still shows the right time left. Differences under 2 s (the header's precision) are ignored.
   */
  serverNow(): number {
    return Math.abs(this.clockOffsetMs) > 2000 ? Date.now() + this.clockOffsetMs : Date.now();
  }

  // ---- auth ----------------------------------------------------------------------------------

  /** Creates a customer account and signs in as it. Not retried on network errors: a retry could hit EMAIL_TAKEN. */
  async register(body: RegisterBody, opts?: CallOptions): Promise<AuthResult> {
    const result = await this.call<AuthResult>({ method: 'POST', path: '/api/v1/auth/register', body, idempotent: false }, opts);
    this.signedIn(result);
    return result;
  }

  async login(body: LoginBody, opts?: CallOptions): Promise<AuthResult> {
    const result = await this.call<AuthResult>({ method: 'POST', path: '/api/v1/auth/login', body, idempotent: true }, opts);
    this.signedIn(result);
    return result;
  }

  logout(): void {
    this.setToken(undefined);
  }

  async me(opts?: CallOptions): Promise<User> {
    const { user } = await this.call<MeResult>({ method: 'GET', path: '/api/v1/auth/me', idempotent: true }, opts);
    this.user = user;
    return user;
  }

  // ---- catalogue -----------------------------------------------------------------------------

  /**
   * The first page of shows (upcoming first, `limit` of them, default 50); nights that are over are left out
   * unless `includePast` (staff screens). `listShowsPage` gives the page's `nextCursor` too.
   */
  async listShows(opts?: CallOptions & ShowsPageQuery): Promise<Show[]> {
    return (await this.listShowsPage(opts)).items;
  }

  /** One page of shows after `cursor` (the previous page's `nextCursor`); `nextCursor` is absent on the last page. */
  listShowsPage(opts?: CallOptions & ShowsPageQuery): Promise<ShowList> {
    const query: Record<string, string> = {};
    if (opts?.includePast) query.includePast = 'true';
    if (opts?.limit !== undefined) query.limit = String(opts.limit);
    if (opts?.cursor !== undefined) query.cursor = opts.cursor;
    return this.call<ShowList>({ method: 'GET', path: '/api/v1/shows', query, idempotent: true }, opts);
  }

  /** One show with its seat counts; SHOW_NOT_FOUND when there is none that night. */
  async getShow(showDate: string, opts?: CallOptions): Promise<Show> {
    const { show } = await this.call<Static<typeof CreateShowResult>>({ method: 'GET', path: `/api/v1/shows/${enc(showDate)}`, idempotent: true }, opts);
    return show;
  }

  getSeatMap(showDate: string, opts?: CallOptions): Promise<SeatMap> {
    return this.call<SeatMap>({ method: 'GET', path: `/api/v1/shows/${enc(showDate)}/seats`, idempotent: true }, opts);
  }

  /**
   * The venue's static layout (zones, every seat's place, standing), fetched once per client and kept: it is the
   * same for every show (a browser also keeps it in its HTTP cache by its ETag). A failed fetch is not kept.
   */
  getVenueLayout(opts?: CallOptions): Promise<StaticLayout> {
    this.layout ??= this.call<StaticLayout>({ method: 'GET', path: '/api/v1/venue/layout', idempotent: true }, opts).catch((err: unknown) => {
      this.layout = undefined;
      throw err;
    });
    return this.layout;
  }

  /** A show's seq, prices and only its seats that are not AVAILABLE: small whatever the venue's size (draw it over getVenueLayout). */
  getShowState(showDate: string, opts?: CallOptions): Promise<ShowState> {
    return this.call<ShowState>({ method: 'GET', path: `/api/v1/shows/${enc(showDate)}/state`, idempotent: true }, opts);
  }

  /** Admin: opens a show. Not retried on network errors (a retry would answer SHOW_EXISTS). */
  async createShow(body: CreateShowBody, opts?: CallOptions): Promise<Show> {
    const { show } = await this.call<Static<typeof CreateShowResult>>(
      { method: 'POST', path: '/api/v1/shows', body, idempotent: false },
      opts,
    );
    return show;
  }

  /** Admin: edits a show (title, times, prices), closes (`status: 'CLOSED'`) or reopens (`'ON_SALE'`) its sales. Setting the same values again is harmless, so it is retried. */
  async updateShow(showDate: string, body: UpdateShowBody, opts?: CallOptions): Promise<Show> {
    const { show } = await this.call<Static<typeof CreateShowResult>>(
      { method: 'PATCH', path: `/api/v1/shows/${enc(showDate)}`, body, idempotent: true },
      opts,
    );
    return show;
  }

  /** Admin: cancels a show for good (its orders cancelled, paid ones due a refund). A second call changes nothing, so it is retried. */
  cancelShow(showDate: string, body: CancelShowBody, opts?: CallOptions): Promise<CancelShowResult> {
    return this.call<CancelShowResult>({ method: 'POST', path: `/api/v1/shows/${enc(showDate)}/cancel`, body, idempotent: true }, opts);
  }

  /** Admin: takes AVAILABLE seats off sale with a reason (409 SEAT_UNAVAILABLE for held or booked ones). */
  blockSeats(showDate: string, body: BlockSeatsBody, opts?: CallOptions): Promise<BlockSeatsResult> {
    return this.call<BlockSeatsResult>({ method: 'POST', path: `/api/v1/shows/${enc(showDate)}/seats/block`, body, idempotent: true }, opts);
  }

  /** Admin: puts BLOCKED seats back on sale; answers the seats this call unblocked. */
  unblockSeats(showDate: string, body: UnblockSeatsBody, opts?: CallOptions): Promise<BlockSeatsResult> {
    return this.call<BlockSeatsResult>({ method: 'POST', path: `/api/v1/shows/${enc(showDate)}/seats/unblock`, body, idempotent: true }, opts);
  }

  // ---- seats ---------------------------------------------------------------------------------

  /** Locks all the seats or none (409 SEAT_UNAVAILABLE). Locking own seats again is harmless, so it is retried. */
  lockSeats(body: LockBody, opts?: CallOptions): Promise<LockResult> {
    return this.call<LockResult>({ method: 'POST', path: '/api/orders/enhanced/seats/lock', body, idempotent: true }, opts);
  }

  /** Chooses and locks the best `quantity` seats side by side (409 NO_ADJACENT_SEATS when there are none). Not retried on network errors: a retry would lock a second block. */
  lockBest(body: LockBestBody, opts?: CallOptions): Promise<LockResult> {
    return this.call<LockResult>({ method: 'POST', path: '/api/orders/enhanced/seats/lock-best', body, idempotent: false }, opts);
  }

  releaseSeats(body: ReleaseBody, opts?: CallOptions): Promise<ReleaseResult> {
    return this.call<ReleaseResult>({ method: 'POST', path: '/api/orders/enhanced/seats/release', body, idempotent: true }, opts);
  }

  /** Without showDate the server answers for the next show on sale. */
  seatStatus(seatId: string, showDate?: string, opts?: CallOptions): Promise<SeatStatus> {
    return this.call<SeatStatus>(
      { method: 'GET', path: `/api/orders/enhanced/seats/status/${enc(seatId)}`, query: { showDate }, idempotent: true },
      opts,
    );
  }

  // ---- orders --------------------------------------------------------------------------------

  /**
   * Books the seats. Always sends an Idempotency-Key (the same one on every retry), so a retry after a lost
   * answer returns the first order instead of buying twice. Pass your own key to make a user's double click safe too.
   */
  async createOrder(body: CreateOrderBody, opts?: CallOptions & { idempotencyKey?: string }): Promise<Order> {
    const key = opts?.idempotencyKey ?? this.newKey();
    const { order } = await this.call<OrderResult>(
      { method: 'POST', path: '/api/v1/orders', body, headers: { 'idempotency-key': key }, idempotent: true },
      opts,
    );
    return order;
  }

  async getOrder(id: string, opts?: CallOptions): Promise<Order> {
    const { order } = await this.call<OrderResult>({ method: 'GET', path: `/api/v1/orders/${enc(id)}`, idempotent: true }, opts);
    return order;
  }

  /** Own orders; staff and admin see everyone's unless `mine: true`. */
  listOrders(query: ListOrdersQuery = {}, opts?: CallOptions): Promise<OrderList> {
    return this.call<OrderList>({ method: 'GET', path: '/api/v1/orders', query: { ...query }, idempotent: true }, opts);
  }

  /** Not retried on network errors: a second cancel answers ORDER_NOT_CANCELLABLE, which would hide the success. */
  async cancelOrder(id: string, body: CancelBody = {}, opts?: CallOptions): Promise<Order> {
    const { order } = await this.call<OrderResult>(
      { method: 'PATCH', path: `/api/v1/orders/${enc(id)}/cancel`, body, idempotent: false },
      opts,
    );
    return order;
  }

  /** Staff/admin: marks an order PAID. Never retried on network errors (money). */
  async recordPayment(id: string, body: PaymentBody, opts?: CallOptions): Promise<Order> {
    const { order } = await this.call<OrderResult>(
      { method: 'POST', path: `/api/v1/orders/${enc(id)}/payments`, body, idempotent: false },
      opts,
    );
    return order;
  }

  // ---- tickets and the door -----------------------------------------------------------------

  /** The tickets of a paid order (its owner, staff): secret and QR per ticket. 409 ORDER_NOT_PAID before payment. */
  async tickets(orderId: string, opts?: CallOptions): Promise<Ticket[]> {
    const { tickets } = await this.call<{ tickets: Ticket[] }>({ method: 'GET', path: `/api/v1/orders/${enc(orderId)}/tickets`, idempotent: true }, opts);
    return tickets;
  }

  /** tickets.pdf of a paid order, one ticket per page, in the client's language. */
  ticketsPdf(orderId: string, opts?: CallOptions): Promise<Blob> {
    return this.call<Blob>({ method: 'GET', path: `/api/v1/orders/${enc(orderId)}/tickets.pdf`, idempotent: true, responseType: 'blob' }, opts);
  }

  /**
   * Door, staff: one scan. Retried on network errors: the nonce makes a repeat answer what the first one did.
   * Pass `retry: false` (a door scanner deciding offline instead) to get a network error at once.
   */
  checkin(body: CheckinBody, opts?: CallOptions & { retry?: boolean }): Promise<CheckinResult> {
    return this.call<CheckinResult>({ method: 'POST', path: '/api/v1/checkins', body, idempotent: opts?.retry !== false }, opts);
  }

  /** Door, staff: scans made offline (≤ 500), answered in order. Safe to repeat (nonces). */
  async checkinBatch(scans: CheckinBatchBody['scans'], opts?: CallOptions): Promise<CheckinResult[]> {
    const { results } = await this.call<{ results: CheckinResult[] }>({ method: 'POST', path: '/api/v1/checkins/batch', body: { scans }, idempotent: true }, opts);
    return results;
  }

  /** Door, staff: the show's ticket hashes for scanning offline; with `since` (a previous generatedAt) only what changed. */
  checkinManifest(showDate: string, since?: string, opts?: CallOptions): Promise<Manifest> {
    return this.call<Manifest>({ method: 'GET', path: `/api/v1/shows/${enc(showDate)}/checkin-manifest`, query: { since }, idempotent: true }, opts);
  }

  /** Door, staff: how many of the show's tickets are checked in, of how many. */
  checkinCount(showDate: string, opts?: CallOptions): Promise<CheckinCount> {
    return this.call<CheckinCount>({ method: 'GET', path: `/api/v1/shows/${enc(showDate)}/checkin-count`, idempotent: true }, opts);
  }

  // ---- users ---------------------------------------------------------------------------------

  /** Admin: accounts, newest first, a page at a time. */
  listUsers(query: ListUsersQuery = {}, opts?: CallOptions): Promise<UserList> {
    return this.call<UserList>({ method: 'GET', path: '/api/v1/users', query: { ...query }, idempotent: true }, opts);
  }

  /** Admin: creates a staff, door or admin account (409 EMAIL_TAKEN). Not retried: a retry would find the address taken. */
  async createUser(body: CreateUserBody, opts?: CallOptions): Promise<User> {
    const { user } = await this.call<{ user: User }>({ method: 'POST', path: '/api/v1/users', body, idempotent: false }, opts);
    return user;
  }

  // ---- box office ----------------------------------------------------------------------------

  /**
   * Staff: sells seats to a walk-in, PAID at once. Always sends an Idempotency-Key (the same on every retry),
   * so a lost answer never sells twice; pass your own key to make a double click safe too.
   */
  async sell(body: BoxOfficeSaleBody, opts?: CallOptions & { idempotencyKey?: string }): Promise<Order> {
    const key = opts?.idempotencyKey ?? this.newKey();
    const { order } = await this.call<OrderResult>(
      { method: 'POST', path: '/api/v1/boxoffice/sales', body, headers: { 'idempotency-key': key }, idempotent: true },
      opts,
    );
    return order;
  }

  /** Staff: what the counter page needs (BOX_OFFICE_MAX_SEATS, whether a PromptPay QR can be shown). */
  counterSettings(opts?: CallOptions): Promise<CounterSettings> {
    return this.call<CounterSettings>({ method: 'GET', path: '/api/v1/boxoffice/settings', idempotent: true }, opts);
  }

  /** Staff: a PromptPay QR for `amount` THB, shown to a walk-in before the sale (nothing is recorded). */
  counterQr(amount: number, opts?: CallOptions): Promise<CounterQr> {
    return this.call<CounterQr>({ method: 'GET', path: '/api/v1/boxoffice/promptpay-qr', query: { amount }, idempotent: true }, opts);
  }

  /** Staff: a show's orders as CSV (UTF-8 with BOM, so spreadsheets show Thai names). */
  ordersCsv(showDate: string, opts?: CallOptions): Promise<Blob> {
    return this.call<Blob>({ method: 'GET', path: '/api/v1/exports/orders.csv', query: { showDate }, idempotent: true, responseType: 'blob' }, opts);
  }

  /** Staff: gives money back. Never retried on network errors (money). */
  async refund(orderId: string, body: RefundBody, opts?: CallOptions): Promise<Refund> {
    const { refund } = await this.call<{ refund: Refund }>(
      { method: 'POST', path: `/api/v1/orders/${enc(orderId)}/refunds`, body, idempotent: false },
      opts,
    );
    return refund;
  }

  /** Admin: the audit log, newest first; pass `nextCursor` back as `cursor` for older entries. */
  audit(query: AuditQuery = {}, opts?: CallOptions): Promise<AuditPage> {
    return this.call<AuditPage>({ method: 'GET', path: '/api/v1/audit', query: { ...query }, idempotent: true }, opts);
  }

  async listReferrers(opts?: CallOptions): Promise<Referrer[]> {
    const { items } = await this.call<{ items: Referrer[] }>({ method: 'GET', path: '/api/v1/referrers', idempotent: true }, opts);
    return items;
  }

  /** Admin. Not retried on network errors (a retry would find the code taken). */
  async createReferrer(body: CreateReferrerBody, opts?: CallOptions): Promise<Referrer> {
    const { referrer } = await this.call<{ referrer: Referrer }>({ method: 'POST', path: '/api/v1/referrers', body, idempotent: false }, opts);
    return referrer;
  }

  showReport(showDate: string, opts?: CallOptions): Promise<ShowReport> {
    return this.call<ShowReport>({ method: 'GET', path: `/api/v1/reports/shows/${enc(showDate)}`, idempotent: true }, opts);
  }

  daySheet(date: string, staffId?: string, opts?: CallOptions): Promise<DaySheet> {
    return this.call<DaySheet>({ method: 'GET', path: '/api/v1/reports/day-sheet', query: { date, staffId }, idempotent: true }, opts);
  }

  referrerReport(from: string, to: string, opts?: CallOptions): Promise<ReferrerReport> {
    return this.call<ReferrerReport>({ method: 'GET', path: '/api/v1/reports/referrers', query: { from, to }, idempotent: true }, opts);
  }

  // ---- payments ------------------------------------------------------------------------------

  /**
   * Which online methods this server offers (no sign-in needed), PromptPay first; with `card` comes `stripe`
   * `{publishableKey, jsUrl}` for loading Stripe.js.
   */
  paymentMethods(opts?: CallOptions): Promise<PaymentMethods> {
    return this.call<PaymentMethods>({ method: 'GET', path: '/api/v1/payments/methods', idempotent: true }, opts);
  }

  /**
   * Starts paying your order (`promptpay`: a QR with its EMVCo payload and SVG; `card`: a Stripe client secret).
   * An open payment of the same method comes back instead of a second one, so retrying is safe.
   */
  async startPayment(orderId: string, method: OnlineMethod, opts?: CallOptions): Promise<Payment> {
    const { payment } = await this.call<PaymentResult>(
      { method: 'POST', path: `/api/v1/orders/${enc(orderId)}/payments/intents`, body: { method }, idempotent: true },
      opts,
    );
    return payment;
  }

  /**
   * Uploads a transfer slip (PNG or JPEG ≤ 2 MB) for your order, as multipart/form-data. Not retried: a second
   * upload would be a second slip.
   */
  async uploadSlip(orderId: string, image: Blob, opts?: CallOptions): Promise<Slip> {
    const form = new FormData();
    form.append('file', image, 'slip');
    const { slip } = await this.call<{ slip: Slip }>({ method: 'POST', path: `/api/v1/orders/${enc(orderId)}/slips`, formData: form, idempotent: false }, opts);
    return slip;
  }

  /** Slips of an order (its owner, staff). */
  async orderSlips(orderId: string, opts?: CallOptions): Promise<Slip[]> {
    return (await this.call<SlipList>({ method: 'GET', path: `/api/v1/orders/${enc(orderId)}/slips`, idempotent: true }, opts)).items;
  }

  /** Staff: slips, oldest first (default: all; `SUBMITTED` for the ones waiting). */
  async listSlips(status?: SlipStatus, opts?: CallOptions): Promise<Slip[]> {
    return (await this.call<SlipList>({ method: 'GET', path: '/api/v1/slips', query: status ? { status } : {}, idempotent: true }, opts)).items;
  }

  /** Staff: the slip pays the order (a late one re-books or becomes a refund due). Approving twice is harmless. */
  async approveSlip(id: string, opts?: CallOptions): Promise<Slip> {
    return (await this.call<{ slip: Slip }>({ method: 'POST', path: `/api/v1/slips/${enc(id)}/approve`, idempotent: true }, opts)).slip;
  }

  /** Staff: rejects a slip with a reason the buyer reads. */
  async rejectSlip(id: string, reason: string, opts?: CallOptions): Promise<Slip> {
    return (await this.call<{ slip: Slip }>({ method: 'POST', path: `/api/v1/slips/${enc(id)}/reject`, body: { reason }, idempotent: true }, opts)).slip;
  }

  /** Staff: late payments to refund, and those refunded this week. */
  refundQueue(opts?: CallOptions): Promise<RefundQueue> {
    return this.call<RefundQueue>({ method: 'GET', path: '/api/v1/payments/refunds', idempotent: true }, opts);
  }

  /** Staff: refunds a REFUND_DUE payment (through its provider, or with the reference of a transfer made by hand). */
  async refundPayment(paymentId: string, reference?: string, opts?: CallOptions): Promise<Payment> {
    const { payment } = await this.call<PaymentResult>(
      { method: 'POST', path: `/api/v1/payments/${enc(paymentId)}/refund`, body: reference ? { reference } : {}, idempotent: false },
      opts,
    );
    return payment;
  }

  // ---- operations ----------------------------------------------------------------------------

  /** Public health check. A degraded server (503) still answers with its Health body, which is returned, not thrown. */
  health(opts?: CallOptions): Promise<Health> {
    return this.call<Health>(
      { method: 'GET', path: '/api/orders/enhanced/health', idempotent: false, acceptStatus: [503] },
      opts,
    );
  }

  /** Staff/admin. */
  stats(opts?: CallOptions): Promise<Stats> {
    return this.call<Stats>({ method: 'GET', path: '/api/orders/enhanced/stats', idempotent: true }, opts);
  }

  /** Admin: runs the expiry sweep now. */
  cleanup(opts?: CallOptions): Promise<CleanupResult> {
    return this.call<CleanupResult>({ method: 'POST', path: '/api/orders/enhanced/cleanup', idempotent: true }, opts);
  }

  // ---- internals -----------------------------------------------------------------------------

  private call<T>(req: HttpRequest, opts?: CallOptions): Promise<T> {
    return this.http.request<T>({ ...req, signal: opts?.signal ?? req.signal });
  }

  private signedIn(result: AuthResult): void {
    this.setToken(result.accessToken);
    this.user = result.user;
  }
}

export function createClient(options: ClientOptions): BoxofficeClient {
  return new BoxofficeClient(options);
}

function enc(segment: string): string {
  return encodeURIComponent(segment);
}

/** crypto.randomUUID exists only in secure contexts (https, localhost); fall back to getRandomValues elsewhere. */
export function randomUuid(): string {
  const c = globalThis.crypto;
  if (typeof c?.randomUUID === 'function') return c.randomUUID();
  const b = c.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const hex = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
