// Small statistics for the tables: min / median / max over rounds.

/** The median of numbers (the mean of the middle two for an even count). */
export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Rounds to `digits` significant figures (tables and results.json stay readable). */
export function round(value, digits = 3) {
  if (!Number.isFinite(value) || value === 0) return value;
  const scale = 10 ** (digits - 1 - Math.floor(Math.log10(Math.abs(value))));
  return Math.round(value * scale) / scale;
}

/** `{ min, median, max, n }` of a list of numbers, rounded to `digits` significant figures. */
export function spread(values, digits = 3) {
  if (values.length === 0) throw new Error('spread of no values');
  return { min: round(Math.min(...values), digits), median: round(median(values), digits), max: round(Math.max(...values), digits), n: values.length };
}

/** The spread of per-round ratios a[i] / b[i] (rounds are paired: both ran in the same round). */
export function ratioSpread(a, b, digits = 3) {
  if (a.length !== b.length) throw new Error('ratio of unpaired rounds');
  return spread(a.map((value, i) => value / b[i]), digits);
}
