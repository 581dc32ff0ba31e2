import type { StressReport } from "../stress/check";

/** Custom messages for "TornWrite: Run Concurrent-Write Stress Check". */
export const RUN_STRESS_CHECK = "tornwrite/runStressCheck";
export const STRESS_PROGRESS = "tornwrite/stressProgress";

export interface RunStressCheckParams {
  /** Absolute path of the folder whose write sites are replayed. */
  folder: string;
  processes?: number;
  /** Also call the live targets of .tornwrite.json: the client sends this only for trusted workspaces. */
  live?: boolean;
  operations?: number;
}

export type RunStressCheckResult = StressReport;

/** Whether the folder's .tornwrite.json names live targets (so the editor can offer live mode). */
export const LIVE_STRESS_TARGETS = "tornwrite/liveStressTargets";
export interface LiveStressTargetsParams {
  folder: string;
}
export interface LiveStressTargetsResult {
  targets: { module: string; export: string }[];
  problems: string[];
}

export interface StressProgressParams {
  done: number;
  total: number;
  /** The site being replayed next, `file:line`. */
  next?: string;
}
