import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  addFaceDetectorMetadata,
  BLAZEFACE_METADATA,
  readFaceDetectorMetadata,
  TfliteFormatError,
} from './tfliteMetadata';

const pkg = dirname(createRequire(import.meta.url).resolve('@mediapipe/face_detection/package.json'));
const load = (name: string) => new Uint8Array(readFileSync(join(pkg, name)));
const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

const same = (a: Uint8Array, b: Uint8Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(b);

// Pinned so that any change in the bytes the app serves is noticed (models from @mediapipe/face_detection 0.4.1657300184).
const CASES = [
  {
    file: 'face_detection_short_range.tflite',
    size: 128,
    sha: 'aa4e2c25152b53b40f73f9535e7824ee22a2b215bd8ca372cd1f4d6f5730db38',
  },
  {
    file: 'face_detection_full_range.tflite',
    size: 192,
    sha: 'c7bbd7156b01bee7651301f67448441d80d18a5105a35c05affb9b1d98daf250',
  },
] as const;

describe('addFaceDetectorMetadata', () => {
  for (const c of CASES) {
    describe(c.file, () => {
      const source = load(c.file);
      const opts = BLAZEFACE_METADATA[c.file];
      const out = addFaceDetectorMetadata(source, opts);

      it('writes RGB input metadata with mean/std 127.5 that reads back', () => {
        expect(readFaceDetectorMetadata(out)).toEqual({
          name: opts.name,
          mean: [127.5],
          std: [127.5],
          colorSpace: 'RGB',
          width: c.size,
          height: c.size,
        });
      });

      it('keeps the original model bytes intact, 16-byte aligned, after a TFL3 header', () => {
        const shift = out.length - source.length;
        expect(shift % 16).toBe(0);
        expect(same(out.subarray(shift), source)).toBe(true);
        expect(new TextDecoder().decode(out.subarray(4, 8))).toBe('TFL3');
      });

      it('is deterministic and produces pinned bytes', () => {
        expect(same(addFaceDetectorMetadata(source, opts), out)).toBe(true);
        expect(sha256(out)).toBe(c.sha);
      });

      it('rejects a model that already has metadata', () => {
        expect(() => addFaceDetectorMetadata(out, opts)).toThrow(/already has TFLITE_METADATA/);
      });
    });
  }

  it('honours custom normalisation', () => {
    const out = addFaceDetectorMetadata(load(CASES[0]!.file), { name: 'x', mean: 0, std: 255 });
    expect(readFaceDetectorMetadata(out)).toMatchObject({ mean: [0], std: [255] });
  });

  it('rejects input that is not a TFLite model', () => {
    expect(() => addFaceDetectorMetadata(new Uint8Array(0), { name: 'x' })).toThrow(TfliteFormatError);
    expect(() =>
      addFaceDetectorMetadata(new TextEncoder().encode('definitely not a flatbuffer model'), { name: 'x' }),
    ).toThrow(/file identifier/);
    const truncated = load(CASES[0]!.file).slice(0, 64);
    expect(() => addFaceDetectorMetadata(truncated, { name: 'x' })).toThrow(TfliteFormatError);
  });

  it('reports a model without metadata', () => {
    expect(() => readFaceDetectorMetadata(load(CASES[0]!.file))).toThrow(/no TFLITE_METADATA/);
  });
});
