// Fake-camera clips with 1, 3 and 6 faces, built from the committed single-face fixture photos
// (tiled side by side, then panned by scripts/make-camera-clip.mjs).
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

// One clearly visible face each (tests/fixtures/scenes/annotations.json): faces stay large after tiling.
const SINGLE_FACE = [
  'maksssksksss63.jpg',
  'maksssksksss324.jpg',
  'maksssksksss398.jpg',
  'maksssksksss671.jpg',
  'maksssksksss817.jpg',
  'maksssksksss841.jpg',
];

/** Finds each photo in the first of `dirs` that has it. */
function photoPaths(dirs, names) {
  return names.map((n) => {
    const dir = dirs.find((d) => existsSync(join(d, n)));
    if (!dir) throw new Error(`${n} is in none of ${dirs.join(', ')} (see --scenes)`);
    return join(dir, n);
  });
}

/** A photo of `faces` faces: 1 = the first photo, 3 = one row of three tiles, 6 = two rows. */
function composite(photos, faces, out) {
  const tile = (i) =>
    `[${i}:v]scale=240:300:force_original_aspect_ratio=decrease,pad=240:300:(ow-iw)/2:(oh-ih)/2:color=0x303030,setsar=1[t${i}]`;
  const rows = faces === 6 ? 2 : 1;
  const filters = photos.slice(0, faces).map((_, i) => tile(i));
  for (let r = 0; r < rows; r++) filters.push(`[t${3 * r}][t${3 * r + 1}][t${3 * r + 2}]hstack=inputs=3[r${r}]`);
  filters.push(rows === 2 ? '[r0][r1]vstack=inputs=2[out]' : '[r0]null[out]');
  const inputs = photos.slice(0, faces).flatMap((p) => ['-i', p]);
  execFileSync('ffmpeg', [
    '-y',
    '-loglevel',
    'error',
    ...inputs,
    '-filter_complex',
    filters.join(';'),
    '-map',
    '[out]',
    out,
  ]);
}

/**
 * Returns { photo, clip } per face count in `workDir`. The clips run at 30 fps so the camera rarely caps the
 * loop. 1.5 s of empty frame after each 4 s pass (longer than the tracker's memory): the faces leave and
 * come back as new people, so each clip loop gives fresh first-detection → first-label times.
 */
export function makeClips(workDir, scenesDirs, counts = [1, 3, 6]) {
  const photos = photoPaths(scenesDirs, SINGLE_FACE);
  const out = {};
  for (const faces of counts) {
    const photo = faces === 1 ? photos[0] : join(workDir, `faces${faces}.png`);
    if (faces !== 1) composite(photos, faces, photo);
    const clip = join(workDir, `faces${faces}.y4m`);
    execFileSync(
      'node',
      ['scripts/make-camera-clip.mjs', '--out', clip, '--fps', '30', '--seconds', '4', '--gap', '1.5', photo],
      {
        stdio: 'ignore',
      },
    );
    out[faces] = { photo, clip };
  }
  return out;
}
