/** Deterministic pixels in [0,1] for `count` 224x224 RGB crops (NCHW): the same input in every runtime. */
export function pixels(count) {
  const out = new Float32Array(count * 3 * 224 * 224);
  let s = 12345;
  for (let i = 0; i < out.length; i++) {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    out[i] = s / 0x7fffffff;
  }
  return out;
}
