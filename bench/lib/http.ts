import net from 'node:net';

/**
 * A deliberately small HTTP/1.1 keep-alive client over one TCP socket: the load generator shares two
 * cores with the server and PostgreSQL, so it must cost as little CPU per request as possible (node's
 * http client and fetch cost several times more). It understands exactly what Fastify sends back:
 * a status line, headers and a Content-Length body (chunked bodies are read too, for safety).
 */
export interface Reply {
  status: number;
  body: string;
}

export class Connection {
  private readonly socket: net.Socket;
  private buf: Buffer = Buffer.alloc(0);
  private pending?: { resolve: (r: Reply) => void; reject: (e: Error) => void };
  private closed = false;

  private constructor(socket: net.Socket) {
    this.socket = socket;
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (err) => this.fail(err));
    socket.on('close', () => this.fail(new Error('connection closed')));
  }

  static open(host: string, port: number, timeoutMs = 5000): Promise<Connection> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host, port });
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new Error(`connect to ${host}:${port} timed out`));
      }, timeoutMs);
      socket.once('connect', () => {
        clearTimeout(timer);
        resolve(new Connection(socket));
      });
      socket.once('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
    });
  }

  /** One request; the answer comes back on the same socket (no pipelining). */
  request(method: string, path: string, headers: string, body?: string): Promise<Reply> {
    if (this.closed) return Promise.reject(new Error('connection closed'));
    if (this.pending) return Promise.reject(new Error('request already in flight on this connection'));
    const payload = body === undefined ? '' : body;
    const head =
      `${method} ${path} HTTP/1.1\r\nhost: 127.0.0.1\r\nconnection: keep-alive\r\n${headers}` +
      (body === undefined ? '' : `content-type: application/json\r\ncontent-length: ${Buffer.byteLength(payload)}\r\n`) +
      '\r\n';
    return new Promise((resolve, reject) => {
      this.pending = { resolve, reject };
      this.socket.write(head + payload);
    });
  }

  close(): void {
    this.closed = true;
    this.socket.destroy();
  }

  private fail(err: Error): void {
    this.closed = true;
    const p = this.pending;
    this.pending = undefined;
    p?.reject(err);
  }

  private onData(chunk: Buffer): void {
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    const p = this.pending;
    if (!p) return;
    const headEnd = this.buf.indexOf('\r\n\r\n');
    if (headEnd < 0) return;
    const head = this.buf.toString('latin1', 0, headEnd);
    const status = Number(head.slice(9, 12));
    const m = /\r\ncontent-length:\s*(\d+)/i.exec(head);
    let body: string;
    let rest: Buffer;
    if (m) {
      const len = Number(m[1]);
      if (this.buf.length < headEnd + 4 + len) return;
      body = this.buf.toString('utf8', headEnd + 4, headEnd + 4 + len);
      rest = this.buf.subarray(headEnd + 4 + len);
    } else if (/\r\ntransfer-encoding:\s*chunked/i.test(head)) {
      const parsed = readChunked(this.buf, headEnd + 4);
      if (!parsed) return;
      body = parsed.body;
      rest = this.buf.subarray(parsed.end);
    } else {
      body = '';
      rest = this.buf.subarray(headEnd + 4);
    }
    this.buf = rest.length ? Buffer.from(rest) : Buffer.alloc(0);
    this.pending = undefined;
    p.resolve({ status, body });
    if (/\r\nconnection:\s*close/i.test(head)) this.fail(new Error('server closed the connection'));
  }
}

function readChunked(buf: Buffer, start: number): { body: string; end: number } | undefined {
  const parts: Buffer[] = [];
  let i = start;
  for (;;) {
    const lineEnd = buf.indexOf('\r\n', i);
    if (lineEnd < 0) return undefined;
    const size = parseInt(buf.toString('latin1', i, lineEnd), 16);
    if (Number.isNaN(size)) throw new Error('bad chunked encoding');
    if (size === 0) {
      if (buf.length < lineEnd + 4) return undefined;
      return { body: Buffer.concat(parts).toString('utf8'), end: lineEnd + 4 };
    }
    if (buf.length < lineEnd + 2 + size + 2) return undefined;
    parts.push(buf.subarray(lineEnd + 2, lineEnd + 2 + size));
    i = lineEnd + 2 + size + 2;
  }
}

/** Latencies in microseconds; percentiles by sorting (runs are bounded, at most a few million samples). */
export class Latencies {
  private samples: Float64Array;
  private n = 0;
  constructor(capacity = 1 << 16) {
    this.samples = new Float64Array(capacity);
  }
  add(us: number): void {
    if (this.n === this.samples.length) {
      const bigger = new Float64Array(this.samples.length * 2);
      bigger.set(this.samples);
      this.samples = bigger;
    }
    this.samples[this.n++] = us;
  }
  addAll(other: Latencies): void {
    for (let i = 0; i < other.n; i++) this.add(other.samples[i]);
  }
  get count(): number {
    return this.n;
  }
  /** p in 0..100, result in milliseconds */
  percentile(p: number): number {
    return this.n === 0 ? NaN : this.at(this.sorted(), p);
  }
  summary(): { p50: number; p99: number; max: number } {
    if (this.n === 0) return { p50: NaN, p99: NaN, max: NaN };
    const sorted = this.sorted();
    return { p50: this.at(sorted, 50), p99: this.at(sorted, 99), max: sorted[this.n - 1] / 1000 };
  }
  private sorted(): Float64Array {
    return this.samples.slice(0, this.n).sort();
  }
  /** nearest rank: the smallest sample with at least p % of the samples at or below it, in ms */
  private at(sorted: Float64Array, p: number): number {
    return sorted[Math.min(this.n - 1, Math.max(0, Math.ceil((p / 100) * this.n) - 1))] / 1000;
  }
}

export const nowUs = (): number => Number(process.hrtime.bigint()) / 1000;
