// Turns crops into the classifier's input tensor: RGB, NCHW, float32 in [0, 1] (pixel / 255),
// no mean/std, as the model card's input contract says. Runs in the worker (no DOM here).

/** Writes `count` RGBA crops of size x size (back to back) into a new N x 3 x size x size tensor. */
export function rgbaToNchw(rgba: Uint8Array | Uint8ClampedArray, size: number, count: number): Float32Array {
  const plane = size * size;
  if (rgba.length !== plane * 4 * count) {
    throw new RangeError(
      `expected ${plane * 4 * count} RGBA bytes for ${count} crops of ${size}px, got ${rgba.length}`,
    );
  }
  const out = new Float32Array(count * 3 * plane);
  const scale = 1 / 255;
  for (let n = 0; n < count; n++) {
    const src = n * plane * 4;
    const dst = n * 3 * plane;
    for (let i = 0; i < plane; i++) {
      const p = src + i * 4;
      out[dst + i] = rgba[p]! * scale;
      out[dst + plane + i] = rgba[p + 1]! * scale;
      out[dst + 2 * plane + i] = rgba[p + 2]! * scale;
    }
  }
  return out;
}
