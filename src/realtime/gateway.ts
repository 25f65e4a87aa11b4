import { Server, type Socket } from 'socket.io';
import { createAdapter } from '@socket.io/redis-adapter';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { Redis } from 'ioredis';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import type { CheckinCountEvent, OrderStatusChangedEvent, PaymentStatusChangedEvent, SeatEvent, ServerToClientEvents, JoinShowAck } from '../contract/events.ts';
import type { ErrorBody } from '../contract/common.ts';
import type { TokenClaims } from '../modules/auth/service.ts';
import { isStaff } from '../plugins/auth.ts';
import { AppError, errorBody, pickLang } from '../errors.ts';
import { isCalendarDate } from '../modules/catalog/dates.ts';
import type { EventBus } from './bus.ts';
import { SeqOrderer } from './orderer.ts';
import { SeatFanout, type FanoutObserver } from './fanout.ts';
import { adapterClients } from './redis.ts';

const ALL_SHOWS = 'shows:all';
const showRoom = (showDate: string) => `show:${showDate}`;
const userRoom = (userId: string) => `user:${userId}`;
const STAFF_ROOM = 'staff';
/** door accounts: they get the live check-in count, nothing else of staff's */
const DOOR_ROOM = 'door';
const SEAT_CHANNEL = 'boxoffice:seat-event';

export interface GatewayLimits {
  /** events a socket may send per second before it is disconnected */
  eventsPerSecond: number;
  /** shows one socket may join at once */
  maxJoinedShows: number;
  /** largest message a client may send, bytes */
  maxPayloadBytes: number;
}

const DEFAULT_LIMITS: GatewayLimits = { eventsPerSecond: 20, maxJoinedShows: 10, maxPayloadBytes: 4096 };

interface SocketData {
  user?: TokenClaims;
  lang: 'en' | 'th';
  shows: Set<string>;
  tokens: number;
  refilledAt: number;
}

type Ack = (answer: JoinShowAck | { ok: true; showDate: string } | ErrorBody) => void;

/**
 * socket.io on the API's port. Seat events go to the rooms of their show (and to sockets that joined
 * no show), in seq order; order events only to the owner's sockets and to staff. With Redis, events
 * reach every instance through the adapter and each instance delivers to its own sockets.
 */
export class RealtimeGateway implements EventBus {
  readonly io: Server<Record<string, never>, ServerToClientEvents, Record<string, never>, SocketData>;
  private readonly orderer: SeqOrderer;
  private readonly fanout: SeatFanout;
  private readonly limits: GatewayLimits;
  /** other instances exist (Redis adapter): seat events are also sent to them */
  private readonly clustered: boolean;

  constructor(
    app: FastifyInstance,
    private readonly log: FastifyBaseLogger,
    opts: {
      redis?: { pub: Redis; sub: Redis };
      keyPrefix?: string;
      corsOrigins: string[] | true;
      limits?: Partial<GatewayLimits>;
      /** how long a busy show's seat events may wait to share a write (see SeatFanout) */
      batchMs: number;
      /** how long a missing seat event is waited for before it is skipped (see SeqOrderer) */
      gapWaitMs: number;
      /** the seq of a show's last seat event now (null: no such show), read the first time this instance needs the show (see SeqOrderer) */
      seqOf: (showDate: string) => Promise<number | null>;
      /** where to publish the realtime metrics (sockets, seat event delay, socket writes) */
      metrics?: Registry;
    },
  ) {
    this.limits = { ...DEFAULT_LIMITS, ...opts.limits };
    this.io = new Server(app.server, {
      serveClient: false,
      maxHttpBufferSize: this.limits.maxPayloadBytes,
      cors: { origin: opts.corsOrigins, credentials: true },
      pingInterval: 10_000,
      pingTimeout: 5_000,
      connectionStateRecovery: undefined,
      // SeatFanout sends pre-built frames, which engine.io only does without compression
      perMessageDeflate: false,
    });
    this.clustered = Boolean(opts.redis);
    if (opts.redis) {
      const clients = adapterClients(opts.redis.pub, opts.redis.sub, (what, err) => this.redisTrouble(what, err));
      this.io.adapter(createAdapter(clients.pub, clients.sub, { key: `${opts.keyPrefix ?? 'boxoffice'}-io` }));
    }
    this.fanout = new SeatFanout(
      this.io.of('/'),
      this.io.encoder,
      (showDate) => [showRoom(showDate), ALL_SHOWS],
      opts.batchMs,
      opts.metrics ? this.registerMetrics(opts.metrics) : undefined,
    );
    this.orderer = new SeqOrderer(
      (e) => this.fanout.push(e),
      opts.seqOf,
      opts.gapWaitMs,
      (showDate, from, to) => this.log.warn({ showDate, from, to }, 'seat events never arrived; skipped (clients see the gap and reload the snapshot)'),
      (showDate, err) => this.log.warn({ err, showDate }, "could not read the show's seq; its events continue from the first one here"),
    );
    this.io.on(SEAT_CHANNEL as never, ((e: SeatEvent) => this.orderer.accept(e)) as never);
    this.io.use((socket, next) => {
      try {
        this.authenticate(socket, app);
        next();
      } catch (err) {
        const e = err instanceof AppError ? err : new AppError('UNAUTHENTICATED');
        const out = new Error(e.code) as Error & { data: ErrorBody };
        out.data = errorBody(e.code, socket.data.lang ?? 'en', socket.id, e.details);
        next(out);
      }
    });
    this.io.on('connection', (socket) => this.onConnection(socket));
  }

  connections(): number {
    return this.io.engine.clientsCount;
  }

  /** Publishes the realtime metrics; returns what the fan-out reports its flushes to. */
  private registerMetrics(registry: Registry): FanoutObserver {
    const connections = () => this.connections();
    new Gauge({
      name: 'boxoffice_realtime_sockets',
      help: 'socket.io connections open on this instance',
      registers: [registry],
      collect() {
        this.set(connections());
      },
    });
    const delay = new Histogram({
      name: 'boxoffice_realtime_seat_event_delay_seconds',
      help: 'How long a seat event waited on this instance, from its COMMIT here (or its arrival from another instance) to the write to its sockets',
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.02, 0.03, 0.04, 0.05, 0.075, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    });
    const writes = new Counter({
      name: 'boxoffice_realtime_socket_writes_total',
      help: 'Writes of seat events to sockets: one per socket per batch, however many events it carries',
      registers: [registry],
    });
    return (waitedMs, socketWrites) => {
      for (const ms of waitedMs) delay.observe(ms / 1000);
      writes.inc(socketWrites);
    };
  }

  /** Called after COMMIT: a delivery problem is logged, never thrown back into the request that committed. */
  seat(events: SeatEvent[]): void {
    for (const e of events) {
      try {
        this.orderer.accept(e);
        if (this.clustered) this.io.serverSideEmit(SEAT_CHANNEL as never, e as never);
      } catch (err) {
        this.log.warn({ err, showDate: e.showDate, seq: e.seq }, 'seat event not delivered');
      }
    }
  }

  order(event: OrderStatusChangedEvent): void {
    try {
      this.io.to([userRoom(event.userId), STAFF_ROOM]).emit('order-status-changed', event);
    } catch (err) {
      this.log.warn({ err, orderId: event.orderId }, 'order event not delivered');
    }
  }

  checkinCount(event: CheckinCountEvent): void {
    try {
      this.io.to([STAFF_ROOM, DOOR_ROOM]).emit('checkin-count', event);
    } catch (err) {
      this.log.warn({ err, showDate: event.showDate }, 'checkin-count event not delivered');
    }
  }

  /** A payment changed state: to the order's owner and to staff, like order events. */
  payment(event: PaymentStatusChangedEvent): void {
    try {
      this.io.to([userRoom(event.userId), STAFF_ROOM]).emit('payment-status-changed', event);
    } catch (err) {
      this.log.warn({ err, orderId: event.orderId, paymentId: event.paymentId }, 'payment event not delivered');
    }
  }

  async close(): Promise<void> {
    this.orderer.stop();
    this.fanout.flush();
    this.io.local.disconnectSockets(true);
    this.io.engine.close();
  }

  private authenticate(socket: Socket, app: FastifyInstance): void {
    const data = socket.data as SocketData;
    data.lang = pickLang(socket.handshake.headers['accept-language']);
    data.shows = new Set();
    data.tokens = this.limits.eventsPerSecond;
    data.refilledAt = Date.now();
    const token = (socket.handshake.auth as { token?: unknown })?.token;
    if (token === undefined || token === null || token === '') return;
    if (typeof token !== 'string') throw new AppError('UNAUTHENTICATED');
    data.user = app.verifyToken(token.replace(/^Bearer /, ''));
  }

  private onConnection(socket: Socket<Record<string, never>, ServerToClientEvents, Record<string, never>, SocketData>): void {
    const data = socket.data;
    void socket.join(ALL_SHOWS);
    if (data.user) {
      void socket.join(userRoom(data.user.sub));
      if (isStaff(data.user.role)) void socket.join(STAFF_ROOM);
      if (data.user.role === 'door') void socket.join(DOOR_ROOM);
      if (data.user.exp !== undefined) this.signOutAtExpiry(socket, data.user.exp * 1000);
    }
    socket.use((_packet, next) => {
      if (this.takeToken(data)) return next();
      this.log.warn({ socketId: socket.id, user: data.user?.sub }, 'socket over its event rate; disconnecting');
      socket.disconnect(true);
    });
    const fail = (ack: unknown, code: 'VALIDATION_FAILED' | 'RATE_LIMITED' | 'SERVICE_UNAVAILABLE', details?: unknown) => {
      if (typeof ack === 'function') (ack as Ack)(errorBody(code, data.lang, socket.id, details));
    };
    socket.on('join-show' as never, ((payload: unknown, ack: unknown) => {
      const showDate = (payload as { showDate?: unknown })?.showDate;
      if (typeof showDate !== 'string' || !isCalendarDate(showDate)) return fail(ack, 'VALIDATION_FAILED', { path: '/showDate' });
      if (!data.shows.has(showDate) && data.shows.size >= this.limits.maxJoinedShows) {
        return fail(ack, 'RATE_LIMITED', { maxJoinedShows: this.limits.maxJoinedShows });
      }
      data.shows.add(showDate);
      void socket.join(showRoom(showDate));
      void socket.leave(ALL_SHOWS);
      // the ack's seq is the last event sent to the room: a client whose state is older reloads it
      this.orderer.position(showDate).then(
        (delivered) => {
          if (typeof ack === 'function') (ack as Ack)({ showDate, seq: this.fanout.sentSeq(showDate, delivered) });
        },
        () => fail(ack, 'SERVICE_UNAVAILABLE'),
      );
    }) as never);
    socket.on('leave-show' as never, ((payload: unknown, ack: unknown) => {
      const showDate = (payload as { showDate?: unknown })?.showDate;
      if (typeof showDate !== 'string' || !isCalendarDate(showDate)) return fail(ack, 'VALIDATION_FAILED', { path: '/showDate' });
      data.shows.delete(showDate);
      void socket.leave(showRoom(showDate));
      if (data.shows.size === 0) void socket.join(ALL_SHOWS);
      if (typeof ack === 'function') (ack as Ack)({ ok: true, showDate });
    }) as never);
  }

  /**
   * When the handshake token expires the socket carries on as an anonymous one: seat events still come,
   * order events (its owner's and, for staff, everyone's) stop. A client that wants them again reconnects
   * with a fresh token.
   */
  private signOutAtExpiry(socket: Socket<Record<string, never>, ServerToClientEvents, Record<string, never>, SocketData>, expiresAt: number): void {
    let timer: NodeJS.Timeout;
    const check = () => {
      const left = expiresAt - Date.now();
      // setTimeout takes at most 2^31-1 ms (~24.8 days); a longer-lived token is checked again then
      if (left > 0) {
        timer = setTimeout(check, Math.min(left, 2 ** 31 - 1));
        return;
      }
      const user = socket.data.user;
      if (!user) return;
      void socket.leave(userRoom(user.sub));
      void socket.leave(STAFF_ROOM);
      void socket.leave(DOOR_ROOM);
      socket.data.user = undefined;
      this.log.info({ socketId: socket.id, user: user.sub }, 'socket token expired; no more order events on it');
    };
    check();
    socket.once('disconnect', () => clearTimeout(timer));
  }

  private redisFailures = 0;
  private redisWarnedAt = 0;

  /** Redis trouble is logged at most every 10 s (every event would fail while it is away). */
  private redisTrouble(what: string, err: Error): void {
    this.redisFailures++;
    const now = Date.now();
    if (now - this.redisWarnedAt < 10_000) return;
    this.log.warn({ err: err.message, command: what, failures: this.redisFailures }, 'redis adapter command failed; other instances miss these events');
    this.redisWarnedAt = now;
    this.redisFailures = 0;
  }

  /** Token bucket: eventsPerSecond per socket. */
  private takeToken(data: SocketData): boolean {
    const now = Date.now();
    data.tokens = Math.min(this.limits.eventsPerSecond, data.tokens + ((now - data.refilledAt) / 1000) * this.limits.eventsPerSecond);
    data.refilledAt = now;
    if (data.tokens < 1) return false;
    data.tokens -= 1;
    return true;
  }
}
