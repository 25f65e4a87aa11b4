/**
 * A camera for Chromium's fake video capture (`--use-file-for-fake-video-capture=<file>.y4m`) that shows a QR code
 * for a while and then an empty white picture, looped by Chromium: as if a ticket were held up to the scanner,
 * taken away and held up again.
 *
 * Y4M is a text header, then per frame "FRAME\n" and the raw I420 planes (Y at full size, U and V at half size).
 */
import { writeFileSync } from 'node:fs';
import QRCode from 'qrcode';

const WIDTH = 320;
const HEIGHT = 240;
const FPS = 10;
/** video luma of black and white */
const DARK = 16;
const LIGHT = 235;

function qrFrame(text: string): Buffer {
  const qr = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const n = qr.modules.size;
  const quiet = 4;
  const scale = Math.floor(Math.min(WIDTH, HEIGHT) / (n + 2 * quiet));
  const size = n * scale;
  const left = Math.floor((WIDTH - size) / 2);
  const top = Math.floor((HEIGHT - size) / 2);
  const y = Buffer.alloc(WIDTH * HEIGHT, LIGHT);
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < n; c++) {
      if (!qr.modules.get(r, c)) continue;
      for (let dy = 0; dy < scale; dy++) y.fill(DARK, (top + r * scale + dy) * WIDTH + left + c * scale, (top + r * scale + dy) * WIDTH + left + (c + 1) * scale);
    }
  }
  return y;
}

/** Writes the video: `text` as a QR for `showSeconds`, then white for `gapSeconds`; returns the path. */
export function writeQrVideo(file: string, text: string, { showSeconds = 1, gapSeconds = 2.5 } = {}): string {
  const chroma = Buffer.alloc((WIDTH / 2) * (HEIGHT / 2) * 2, 128);
  const qr = Buffer.concat([Buffer.from('FRAME\n'), qrFrame(text), chroma]);
  const blank = Buffer.concat([Buffer.from('FRAME\n'), Buffer.alloc(WIDTH * HEIGHT, LIGHT), chroma]);
  const frames = [...Array<Buffer>(Math.round(showSeconds * FPS)).fill(qr), ...Array<Buffer>(Math.round(gapSeconds * FPS)).fill(blank)];
  writeFileSync(file, Buffer.concat([Buffer.from(`YUV4MPEG2 W${WIDTH} H${HEIGHT} F${FPS}:1 Ip A1:1 C420jpeg\n`), ...frames]));
  return file;
}
