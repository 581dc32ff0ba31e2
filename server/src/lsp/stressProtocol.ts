import type { StressReport } from "../stress/check";

/** Custom messages for "TornWrite: Run Concurrent-Write Stress Check". */
export const RUN_STRESS_CHECK = "tornwrite/runStressCheck";
export const STRESS_PROGRESS = "tornwrite/stressProgress";

export interface RunStressCheckParams {
  /** Absolute path of the folder whose write sites are replayed. */
  folder: string;
  processes?: number;
  operations?: number;
}

export type RunStressCheckResult = StressReport;

export interface StressProgressParams {
  done: number;
  total: number;
  /** The site being replayed next, `file:line`. */
  next?: string;
}
