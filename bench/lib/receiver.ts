// A bare socket.io receiver for the fan-out benchmark, on a raw TCP socket: websocket upgrade, engine.io v4 /
// socket.io v5 handshake, join-show, pongs, and a count of the seat events it gets. It walks the websocket
// frame headers itself instead of going through `ws` or socket.io-client, which on a thousand sockets cost
// the benchmark process more CPU than the server under test; only sampled receivers parse their events.
// Reads land in one buffer shared by every receiver (net's `onread`), which skips the stream machinery
// behind 'data' events: each read is walked to its end before the next, and an unfinished frame is copied.
import { connect, type Socket } from 'node:net';
import { randomBytes } from 'node:crypto';

export interface Receiver {
  socket: Socket;
  /** seat events received */
  count: number;
}

/** A sampled receiver's seat event: the socket.io event's JSON text (`["seat-locked",{…}]`), parsed later by the caller, and when it arrived (performance.now()). */
export type OnEvent = (json: string, at: number) => void;

const READ_BUFFER = Buffer.allocUnsafe(1 << 18);

/** A masked client text frame (mask key 0, which leaves the payload as it is); our messages are short. */
function clientFrame(text: string): Buffer {
  const payload = Buffer.from(text);
  if (payload.length > 125) throw new Error('receiver messages must be under 126 bytes');
  return Buffer.concat([Buffer.from([0x81, 0x80 | payload.length, 0, 0, 0, 0]), payload]);
}

export function openReceiver(baseUrl: string, showDate: string, onEvent?: OnEvent): Promise<Receiver> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const socket = connect({
      port: Number(port),
      host: hostname,
      onread: {
        buffer: READ_BUFFER,
        callback: (n) => {
          onData(READ_BUFFER.subarray(0, n));
          return true;
        },
      },
    });
    socket.setNoDelay(true);
    const r: Receiver = { socket, count: 0 };
    let joined = false;
    let upgraded = false;
    let rest: Buffer | undefined;
    const fail = (err: Error) => {
      clearTimeout(timer);
      socket.destroy();
      reject(err);
    };
    const timer = setTimeout(() => fail(new Error('socket did not join within 20 s')), 20_000);
    socket.on('error', fail);
    socket.write(
      `GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: ${hostname}:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
        `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
    );

    const onMessage = (buf: Buffer, start: number, end: number, at: number) => {
      // '2' ping -> '3' pong; '0{…}' open -> connect namespace; '40{…}' connected -> join; '43…' ack; '42[…]' event
      const a = buf[start];
      const b = end - start > 1 ? buf[start + 1] : -1;
      if (a === 0x34 && b === 0x32) {
        r.count++;
        if (onEvent) onEvent(buf.toString('utf8', start + 2, end), at);
      } else if (a === 0x32 && b === -1) socket.write(clientFrame('3'));
      else if (a === 0x30) socket.write(clientFrame('40'));
      else if (a === 0x34 && b === 0x30) socket.write(clientFrame(`420${JSON.stringify(['join-show', { showDate }])}`));
      else if (a === 0x34 && b === 0x33 && !joined) {
        joined = true;
        clearTimeout(timer);
        resolve(r);
      }
    };

    function onData(chunk: Buffer): void {
      const at = performance.now();
      let buf = rest ? Buffer.concat([rest, chunk]) : chunk;
      rest = undefined;
      if (!upgraded) {
        const end = buf.indexOf('\r\n\r\n');
        if (end < 0) {
          rest = buf;
          return;
        }
        const status = buf.toString('latin1', 0, buf.indexOf('\r\n'));
        if (!status.includes(' 101 ')) return fail(new Error(`websocket upgrade refused: ${status}`));
        upgraded = true;
        buf = buf.subarray(end + 4);
      }
      let off = 0;
      while (buf.length - off >= 2) {
        const opcode = buf[off] & 0x0f;
        let len = buf[off + 1] & 0x7f;
        let header = 2;
        if (len === 126) {
          if (buf.length - off < 4) break;
          len = buf.readUInt16BE(off + 2);
          header = 4;
        } else if (len === 127) {
          if (buf.length - off < 10) break;
          len = Number(buf.readBigUInt64BE(off + 2));
          header = 10;
        }
        if (buf.length - off < header + len) break;
        if (opcode === 0x1) onMessage(buf, off + header, off + header + len, at);
        else if (opcode === 0x8) socket.end();
        off += header + len;
      }
      if (off < buf.length) rest = Buffer.from(buf.subarray(off));
    }
  });
}
