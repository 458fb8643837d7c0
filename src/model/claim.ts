/** What the run says of one claim people make about session strategies. */
export type ClaimStatus = 'confirmed' | 'refuted' | 'not measured';

export interface Claim {
  id: string;
  /** The claim as people make it. */
  statement: string;
  /** How this run decides it, from which data. */
  rule: string;
  status: ClaimStatus;
  /** The measured figure it was decided on ('' when not measured). */
  figure: string;
  /** The case folders that measured it. */
  cases: string[];
}
