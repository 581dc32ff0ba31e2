import type { KeptFile, StaleCandidate } from "../cleanup/scan";

/** Custom requests between the extension and the server for "TornWrite: Clean Up Stale Temp Files". */
export const FIND_STALE_FILES = "tornwrite/findStaleFiles";
export const PREPARE_STALE_FILE_REMOVAL = "tornwrite/prepareStaleFileRemoval";

export interface FindStaleFilesParams {
  /** Absolute path of the folder to scan. */
  folder: string;
  minAgeMinutes: number;
  includeDependencies?: boolean;
}

export interface FindStaleFilesResult {
  root: string;
  candidates: StaleCandidate[];
  kept: KeptFile[];
  scannedEntries: number;
  openFilesNote?: string;
}

export interface PrepareRemovalParams {
  folder: string;
  minAgeMinutes: number;
  /** What the user chose, as found. */
  candidates: StaleCandidate[];
}

export interface PrepareRemovalResult {
  /** Temps still stale: the editor moves them to the trash. */
  toTrash: StaleCandidate[];
  /** Locks the server removed itself (through the runtime's takeover protocol), relative paths. */
  removed: string[];
  skipped: { relativePath: string; why: string }[];
}
