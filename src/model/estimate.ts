/**
 * A metric over the repeats of a case: the mean and a 95 % confidence interval from the spread between
 * repeats (Student's t over the per-repeat values, shares included), clamped to the metric's range. A
 * metric at the edge of its range in every repeat (0 everywhere; a share of 1 everywhere) gets the rule of
 * three's bound. With one repeat there is no interval (low = high = null).
 */
export interface Estimate {
  mean: number;
  low: number | null;
  high: number | null;
  method: 't' | 'rule-of-three';
}
