// The parts of a file a reader could not parse (a quote never closed, a Groovy string cut by its line's end, a missing
// `,` in an `sh(…)` map): where they are and why. audit.ts reads them again the simple way (simple.ts) and says so.

/** A part a reader could not parse: offsets in the text it read (`to` one past the end), and why, in a few words. */
export interface ParseProblem {
  readonly from: number;
  readonly to: number;
  readonly reason: string;
}
