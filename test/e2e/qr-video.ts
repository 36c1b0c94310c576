/**
 * A camera for the browser tests: a Y4M video (the format Chromium's fake capture device
 * plays, `--use-file-for-fake-video-capture`) showing QR codes one after another, each held
 * for a couple of seconds, as volunteers in a queue hold their phones up to the lead's.
 */
import fs from 'node:fs';
import { encode } from 'uqr';

const W = 320;
const H = 240;
const FPS = 2;
/** Frames each code is held for (at FPS). */
const HOLD_FRAMES = 4;
const MODULE_PX = 5;

function frameOf(text: string): Buffer {
  const { data, size } = encode(text, { ecc: 'M', border: 3 });
  const y = Buffer.alloc(W * H, 235);
  const px = size * MODULE_PX;
  const x0 = Math.floor((W - px) / 2);
  const y0 = Math.floor((H - px) / 2);
  for (let r = 0; r < size; r++) {
    for (let c = 0; c < size; c++) {
      if (!data[r]![c]) continue;
      for (let dy = 0; dy < MODULE_PX; dy++)
        y.fill(16, (y0 + r * MODULE_PX + dy) * W + x0 + c * MODULE_PX, (y0 + r * MODULE_PX + dy) * W + x0 + (c + 1) * MODULE_PX);
    }
  }
  // no colour: both chroma planes at their midpoint
  return Buffer.concat([Buffer.from('FRAME\n'), y, Buffer.alloc((W / 2) * (H / 2) * 2, 128)]);
}

/** Writes a video of these codes, in order, looping when played; returns its path. */
export function writeQrVideo(file: string, texts: readonly string[]): string {
  const header = Buffer.from(`YUV4MPEG2 W${W} H${H} F${FPS}:1 Ip A1:1 C420jpeg\n`);
  const frames = texts.flatMap((t) => Array.from({ length: HOLD_FRAMES }, () => frameOf(t)));
  fs.writeFileSync(file, Buffer.concat([header, ...frames]));
  return file;
}
