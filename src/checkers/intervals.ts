/**
 * 95 % confidence intervals for a metric measured once per repeat. Repeats are the independent trials: the
 * users or ops of one repeat are not (one kill logs a node's users out together, errors come in bursts), so
 * every interval, shares included, comes from the spread between repeats.
 */
import type { Estimate } from '../model/run.ts';
import { round } from './stats.ts';

/** The values a metric can take: counts and times are ≥ 0, shares lie in [0, 1]. */
export type MetricRange = 'count' | 'share';

/** ln Γ(x) for x > 0 (Lanczos, g = 7, n = 9): accurate to about 15 digits. */
function logGamma(x: number): number {
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const z = x - 1;
  let sum = c[0] as number;
  for (let i = 1; i < c.length; i += 1) sum += (c[i] as number) / (z + i);
  const t = z + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}

/** The continued fraction of the incomplete beta function (modified Lentz). */
function betaFraction(a: number, b: number, x: number): number {
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  d = 1 / (Math.abs(d) < tiny ? tiny : d);
  let h = d;
  for (let m = 1; m <= 300; m += 1) {
    const even = (m * (b - m) * x) / ((a + 2 * m - 1) * (a + 2 * m));
    d = 1 / (Math.abs(1 + even * d) < tiny ? tiny : 1 + even * d);
    c = Math.abs(1 + even / c) < tiny ? tiny : 1 + even / c;
    h *= d * c;
    const odd = (-(a + m) * (a + b + m) * x) / ((a + 2 * m) * (a + 2 * m + 1));
    d = 1 / (Math.abs(1 + odd * d) < tiny ? tiny : 1 + odd * d);
    c = Math.abs(1 + odd / c) < tiny ? tiny : 1 + odd / c;
    const step = d * c;
    h *= step;
    if (Math.abs(step - 1) < 1e-15) break;
  }
  return h;
}

/** The regularized incomplete beta function I_x(a, b). */
function incompleteBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(1 - x));
  return x < (a + 1) / (a + b + 2)
    ? (front * betaFraction(a, b, x)) / a
    : 1 - (front * betaFraction(b, a, 1 - x)) / b;
}

/** P(T ≤ t) for Student's t with `df` degrees of freedom. */
export function studentCdf(t: number, df: number): number {
  const tail = 0.5 * incompleteBeta(df / (df + t * t), df / 2, 0.5);
  return t >= 0 ? 1 - tail : tail;
}

/** The quantile of Student's t for probability p in (0.5, 1), by bisection on the CDF. */
export function studentQuantile(p: number, df: number): number {
  let low = 0;
  let high = 1e3;
  for (let i = 0; i < 100; i += 1) {
    const mid = (low + high) / 2;
    if (studentCdf(mid, df) < p) low = mid;
    else high = mid;
  }
  return (low + high) / 2;
}

/**
 * The rule of three: when none of n independent trials showed an event, 3 / n bounds its rate from above
 * at about 95 % (exactly −ln 0.05 / n ≈ 2.996 / n). Here the trials are the repeats.
 */
export const ruleOfThree = (repeats: number): number => 3 / repeats;

/**
 * Mean and 95 % interval of a metric measured once per repeat: Student's t over the per-repeat values,
 * clamped to the metric's range. A metric at the edge of its range in every repeat (0 everywhere, or a
 * share of 1 everywhere) gets the rule of three's bound instead of a zero-width interval. One repeat has
 * no interval.
 */
export function repeatInterval(values: number[], range: MetricRange = 'count', digits = 3): Estimate {
  const n = values.length;
  const mean = values.reduce((a, b) => a + b, 0) / Math.max(1, n);
  const r = (v: number) => round(v, digits);
  if (n < 2) return { mean: r(mean), low: null, high: null, method: 't' };
  const top = range === 'share' ? 1 : Number.POSITIVE_INFINITY;
  if (values.every((v) => v === 0))
    return { mean: 0, low: 0, high: r(Math.min(top, ruleOfThree(n))), method: 'rule-of-three' };
  if (range === 'share' && values.every((v) => v === 1))
    return { mean: 1, low: r(Math.max(0, 1 - ruleOfThree(n))), high: 1, method: 'rule-of-three' };
  const variance = values.reduce((sum, v) => sum + (v - mean) ** 2, 0) / (n - 1);
  const half = studentQuantile(0.975, n - 1) * Math.sqrt(variance / n);
  return {
    mean: r(mean),
    low: r(Math.max(0, mean - half)),
    high: r(Math.min(top, mean + half)),
    method: 't',
  };
}
