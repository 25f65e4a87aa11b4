import { createServer, connect, type Server, type Socket } from 'node:net';

/** One proxied connection: the service's end and the real server's end. */
interface Pair {
  client: Socket;
  upstream?: Socket;
  /** nothing is forwarded and neither end's close reaches the other (packets lost, sockets open) */
  frozen: boolean;
}

/**
 * A TCP proxy on 127.0.0.1 that a test can break in the ways networks break, to simulate a database or
 * Redis outage without touching the real server other tests use:
 * - `cut()`: refused connections, open ones closed (the server is down);
 * - `blackhole()`: open connections freeze, new ones are accepted but never answered (packets dropped);
 * - `halfOpen()`: open connections freeze for good (a NAT or firewall forgot them), new ones work: the
 *   server keeps the frozen sessions, and what they hold, until its own timeouts end them;
 * - `reset()`: every open connection is reset (RST), e.g. after a stall;
 * - `heal()` / `restore()`: new connections work again;
 * - `failNextHandshake()`: the next new PostgreSQL connection gets a FATAL error right behind the end of its
 *   handshake, in the same packet (what a corrupted stream makes the server send).
 */
export class TcpProxy {
  private server?: Server;
  private readonly pairs = new Set<Pair>();
  /** new connections are accepted and then ignored */
  private swallowNew = false;
  /** the next new connection's handshake is followed by a FATAL error (failNextHandshake) */
  private failHandshake = false;
  port = 0;
  /** bytes the service sent that a frozen or swallowed connection dropped (a test can wait for a request to be stalled) */
  stalledBytes = 0;

  constructor(
    private readonly targetHost: string,
    private readonly targetPort: number,
  ) {}

  async start(port = 0): Promise<number> {
    this.server = createServer((client) => this.accept(client));
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(port, '127.0.0.1', () => resolve());
    });
    const addr = this.server.address();
    this.port = typeof addr === 'object' && addr ? addr.port : port;
    return this.port;
  }

  private accept(client: Socket): void {
    const pair: Pair = { client, frozen: this.swallowNew };
    this.pairs.add(pair);
    const forget = () => {
      if (client.destroyed && (!pair.upstream || pair.upstream.destroyed)) this.pairs.delete(pair);
    };
    client.on('error', () => client.destroy());
    client.on('close', () => {
      if (!pair.frozen) pair.upstream?.destroy();
      forget();
    });
    client.on('data', (d: Buffer) => {
      if (pair.frozen || !pair.upstream) this.stalledBytes += d.length;
      else pair.upstream.write(d);
    });
    if (pair.frozen) return;
    const upstream = connect(this.targetPort, this.targetHost);
    pair.upstream = upstream;
    upstream.on('error', () => upstream.destroy());
    upstream.on('close', () => {
      if (!pair.frozen) client.destroy();
      forget();
    });
    let failThis = this.failHandshake;
    this.failHandshake = false;
    upstream.on('data', (d: Buffer) => {
      if (pair.frozen) return;
      const end = failThis ? d.indexOf(READY_FOR_QUERY_IDLE) : -1;
      if (end >= 0) {
        failThis = false;
        const at = end + READY_FOR_QUERY_IDLE.length;
        d = Buffer.concat([d.subarray(0, at), fatalError('08P01', 'invalid frontend message type 0'), d.subarray(at)]);
      }
      client.write(d);
    });
  }

  /** The next new connection: a FATAL ErrorResponse arrives in the same packet as the handshake's ReadyForQuery. */
  failNextHandshake(): void {
    this.failHandshake = true;
  }

  /** Refuses new connections and kills the open ones: the service is "down". */
  async cut(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const p of this.pairs) {
      p.client.destroy();
      p.upstream?.destroy();
    }
    this.pairs.clear();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Open connections stop carrying anything; new ones are accepted and never answered. */
  blackhole(): void {
    for (const p of this.pairs) p.frozen = true;
    this.swallowNew = true;
  }

  /** Open connections stop carrying anything and keep both ends open; new connections work. */
  halfOpen(): void {
    for (const p of this.pairs) p.frozen = true;
    this.swallowNew = false;
  }

  /** Resets every open connection (the service sees ECONNRESET; the server sees its client leave). */
  reset(): void {
    for (const p of this.pairs) {
      p.client.resetAndDestroy();
      p.upstream?.destroy();
    }
    this.pairs.clear();
  }

  /** New connections work again (frozen ones stay frozen until reset). */
  heal(): void {
    this.swallowNew = false;
  }

  /** Comes back on the same port. */
  async restore(): Promise<void> {
    this.swallowNew = false;
    await this.start(this.port);
  }

  async stop(): Promise<void> {
    await this.cut();
  }
}

/** PostgreSQL's ReadyForQuery message, transaction status idle: the end of a connection's handshake. */
const READY_FOR_QUERY_IDLE = Buffer.from([0x5a, 0, 0, 0, 5, 0x49]);

/** A PostgreSQL ErrorResponse message of severity FATAL (protocol 3: 'E', int32 length, fields, NUL). */
function fatalError(code: string, message: string): Buffer {
  const fields = Buffer.from(`SFATAL\0VFATAL\0C${code}\0M${message}\0\0`, 'utf8');
  const head = Buffer.alloc(5);
  head.write('E', 0, 'latin1');
  head.writeInt32BE(fields.length + 4, 1);
  return Buffer.concat([head, fields]);
}
