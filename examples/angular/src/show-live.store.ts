import { Injectable, signal, type OnDestroy } from '@angular/core';
import { connectSocket, SeatPicker, ShowLive, type BoxofficeSocket } from 'boxoffice/client';
import { client } from './boxoffice.ts';

// #region live-map
/**
 * A live seat map and its picker as signals. ShowLive loads the snapshot and applies seat-locked /
 * seat-released / seat-booked events in order (reloading after a gap or a reconnection); SeatPicker turns clicks
 * into lock and release requests (batched, shown at once, rolled back on failure). Neither is a signal itself, so
 * every change bumps `version`, and computed signals that read it follow. Provided per component: it closes with it.
 */
@Injectable()
export class ShowLiveStore implements OnDestroy {
  readonly live = signal<ShowLive | undefined>(undefined);
  readonly picker = signal<SeatPicker | undefined>(undefined);
  readonly version = signal(0);
  readonly error = signal<unknown>(undefined);
  private socket: BoxofficeSocket | undefined;
  private off: (() => void) | undefined;

  open(showDate: string): void {
    this.close();
    const socket = connectSocket(client); // authenticated with the client's token: order events reach us too
    const show = new ShowLive({ client, socket, showDate });
    const picker = new SeatPicker({ client, live: show });
    const offChange = show.onChange(() => this.version.update((v) => v + 1));
    picker.onChange(() => this.version.update((v) => v + 1));
    // The browser notices a lost network sooner than a socket heartbeat: close the socket at once and open it
    // again when the network is back; on reconnection ShowLive rejoins the show and reloads the snapshot.
    const offline = () => socket.disconnect();
    const online = () => socket.connect();
    window.addEventListener('offline', offline);
    window.addEventListener('online', online);
    this.off = () => {
      window.removeEventListener('offline', offline);
      window.removeEventListener('online', online);
      offChange();
      picker.stop();
    };
    this.socket = socket;
    this.live.set(show);
    this.picker.set(picker);
    // If the first snapshot fails, ShowLive keeps trying by itself; `ready` turns true when one arrives.
    show.start().then(
      () => this.error.set(undefined),
      (err: unknown) => this.error.set(err),
    );
  }

  close(): void {
    this.off?.();
    this.live()?.stop();
    this.socket?.disconnect();
    this.live.set(undefined);
    this.picker.set(undefined);
  }

  ngOnDestroy(): void {
    this.close();
  }
}
// #endregion
