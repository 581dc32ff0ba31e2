import * as fs from "node:fs";
import { breakStaleLock } from "../../../runtime/src/tornwrite-runtime";
import { recheck, type ScanOptions, type StaleCandidate } from "./scan";

export interface RemovalPlan {
  /** Still stale after the re-check: the caller deletes these (the editor moves them to the trash). */
  confirmed: StaleCandidate[];
  /** No longer stale, changed, or gone since the scan. */
  skipped: { relativePath: string; why: string }[];
}

/** Re-judges every chosen candidate right before removal: a file that changed or came alive is skipped. */
export async function confirmCandidates(candidates: readonly StaleCandidate[], root: string, options: ScanOptions): Promise<RemovalPlan> {
  const plan: RemovalPlan = { confirmed: [], skipped: [] };
  for (const candidate of candidates) {
    const fresh = await recheck(candidate, root, options);
    if (fresh) plan.confirmed.push(fresh);
    else plan.skipped.push({ relativePath: candidate.relativePath, why: "changed, in use or gone since the scan" });
  }
  return plan;
}

/**
 * Deletes one confirmed candidate. Lock files go through the runtime's takeover protocol, so a process
 * taking over the same stale lock at this moment keeps its fresh lock; lock directories must still be
 * empty; temps are unlinked. Returns false when the file was no longer removable.
 */
export async function removeCandidate(candidate: StaleCandidate, minAgeMinutes: number): Promise<boolean> {
  try {
    if (candidate.removal === "rmdir") {
      await fs.promises.rmdir(candidate.path); // fails if something was put inside meanwhile
      return true;
    }
    if (candidate.removal === "breakLock") return breakStaleLock(candidate.path, { stale: minAgeMinutes * 60_000 });
    await fs.promises.unlink(candidate.path);
    return true;
  } catch {
    return false;
  }
}
