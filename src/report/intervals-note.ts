/** How a reader should take the intervals of repeated cases: said once, in the terminal and the report. */
export const INTERVALS_NOTE =
  "Mean [95 % interval] over the repeats: Student's t on the per-repeat values (shares too), clamped to the metric's range; where every repeat gave 0 (or a share of 1), the rule of three (3 / repeats).";
