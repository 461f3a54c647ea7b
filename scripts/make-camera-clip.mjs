#!/usr/bin/env node
// Makes a y4m clip for Chromium's fake camera (--use-file-for-fake-video-capture) from still photos:
// each photo fills a 640x480 frame (or --size WxH) and the view pans slowly across it, so faces move
// the way people do in front of a fixed camera. Needs Debian's ffmpeg.
//
//   node scripts/make-camera-clip.mjs --out clip.y4m [--size 640x480] [--fps 15] [--seconds 4] [--pan 0.12] [--gap 0] photo.jpg [...]
//
// --pan is the horizontal travel as a fraction of the frame width; within one photo's segment the view
// moves right then back. --gap inserts that many seconds of empty frame after each photo: people leave
// the view before the next one comes, as at a real entrance.
import { execFileSync } from 'node:child_process';
import { parseArgs } from 'node:util';

export function clipOptions(argv) {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      out: { type: 'string' },
      size: { type: 'string', default: '640x480' },
      fps: { type: 'string', default: '15' },
      seconds: { type: 'string', default: '4' },
      pan: { type: 'string', default: '0.12' },
      gap: { type: 'string', default: '0' },
    },
  });
  if (!values.out || positionals.length === 0)
    throw new Error('usage: make-camera-clip.mjs --out clip.y4m photo.jpg [...]');
  const [width, height] = values.size.split('x').map(Number);
  return {
    out: values.out,
    photos: positionals,
    width,
    height,
    fps: Number(values.fps),
    seconds: Number(values.seconds),
    pan: Number(values.pan),
    gap: Number(values.gap),
  };
}

/** ffmpeg filter for one photo: fit the whole scene (padded) into a canvas wider than the frame, then pan across it. */
function photoFilter(i, { width, height, seconds, pan }) {
  const wide = 2 * Math.round((width * (1 + pan)) / 2);
  const travel = wide - width;
  // x(t) = travel * (1 - |2t/T - 1|): 0 → travel → 0 over the segment.
  const x = `${travel}*(1-abs(2*t/${seconds}-1))`;
  return (
    `[${i}:v]scale=${wide}:${height}:force_original_aspect_ratio=decrease:force_divisible_by=2,` +
    `pad=${wide}:${height}:(ow-iw)/2:(oh-ih)/2:color=0x303030,crop=${width}:${height}:x='${x}':y=0,setsar=1,format=yuv420p[v${i}]`
  );
}

export function makeCameraClip(o) {
  const gap = o.gap ?? 0;
  const inputs = o.photos.flatMap((p) => ['-loop', '1', '-framerate', String(o.fps), '-t', String(o.seconds), '-i', p]);
  const filters = o.photos.map((_, i) => photoFilter(i, o));
  const segments = o.photos.map((_, i) => `[v${i}]`);
  if (gap > 0) {
    // One empty segment per photo, split from a single colour source.
    filters.push(
      `color=c=0x303030:s=${o.width}x${o.height}:r=${o.fps}:d=${gap},format=yuv420p,split=${o.photos.length}${o.photos.map((_, i) => `[g${i}]`).join('')}`,
    );
    segments.splice(0, segments.length, ...o.photos.flatMap((_, i) => [`[v${i}]`, `[g${i}]`]));
  }
  const concat = `${segments.join('')}concat=n=${segments.length}:v=1:a=0[out]`;
  execFileSync(
    'ffmpeg',
    [
      '-loglevel',
      'error',
      '-y',
      ...inputs,
      '-filter_complex',
      [...filters, concat].join(';'),
      '-map',
      '[out]',
      '-r',
      String(o.fps),
      '-pix_fmt',
      'yuv420p',
      '-f',
      'yuv4mpegpipe',
      o.out,
    ],
    { stdio: 'inherit' },
  );
  return o.out;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  makeCameraClip(clipOptions(process.argv.slice(2)));
}
