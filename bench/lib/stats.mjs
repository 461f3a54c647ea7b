/** Summary of a list of times: n, median, p90 (nearest rank), mean. */
export function summary(values) {
  if (!values.length) return { n: 0, median: null, p90: null, mean: null };
  const s = [...values].sort((a, b) => a - b);
  const rank = (q) => s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)];
  return { n: s.length, median: rank(0.5), p90: rank(0.9), mean: s.reduce((a, b) => a + b, 0) / s.length };
}
