import { io, type Socket } from 'socket.io-client';
import type { BoxofficeClient } from './client.ts';

/**
 * The part of a socket.io-client Socket that the SDK uses. Tests pass a fake that implements just this.
 * `emit` with a function as last argument expects an acknowledgement, as in socket.io.
 */
export interface LiveSocket {
  readonly connected: boolean;
  // Listener arguments differ per event; `any` keeps a real socket.io Socket assignable to this shape.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  on(event: string, listener: (...args: any[]) => void): unknown;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  off(event: string, listener: (...args: any[]) => void): unknown;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  emit(event: string, ...args: any[]): unknown;
}

/**
 * A plain socket.io-client socket. Event payloads are described by ServerToClientEvents in the contract;
 * the socket is left untyped so it also fits LiveSocket (socket.io's typed `on` accepts only literal names).
 */
export type BoxofficeSocket = Socket;

/**
 * Opens a socket.io connection to the server, authenticated with the client's current token.
 * The token is read again on every (re)connection, so signing in later takes effect on the next connect;
 * call `socket.disconnect().connect()` to apply it at once.
 */
export function connectSocket(client: BoxofficeClient, opts: { transports?: ('websocket' | 'polling')[] } = {}): BoxofficeSocket {
  const url = client.socketUrl === '' ? undefined : client.socketUrl;
  const options = {
    auth: (cb: (data: { token?: string }) => void) => cb({ token: client.getToken() }),
    // WebSocket first: no sticky sessions needed behind a load balancer; long-polling only where WebSocket is blocked.
    transports: opts.transports ?? ['websocket', 'polling'],
    tryAllTransports: true,
  };
  return (url === undefined ? io(options) : io(url, options)) as BoxofficeSocket;
}
