import * as fs from "node:fs";
import type { Connection } from "vscode-languageserver/node";
import { scanStaleFiles, type ScanOptions } from "../cleanup/scan";
import { workspaceSiteMatchers } from "../cleanup/workspaceSites";
import { confirmCandidates, removeCandidate } from "../cleanup/remove";
import {
  FIND_STALE_FILES,
  PREPARE_STALE_FILE_REMOVAL,
  type FindStaleFilesParams,
  type FindStaleFilesResult,
  type PrepareRemovalParams,
  type PrepareRemovalResult,
} from "./cleanupProtocol";

async function scanOptions(folder: string, minAgeMinutes: number, includeDependencies = false): Promise<ScanOptions> {
  return { minAgeMinutes, includeDependencies, siteMatchers: await workspaceSiteMatchers(folder) };
}

/**
 * The cleanup reads the file system and never runs workspace code, so it is allowed in untrusted
 * workspaces. Temps are only confirmed here (the editor trashes them); stale locks are removed here
 * because only the runtime's takeover protocol removes them without racing a process taking them over.
 */
export function registerCleanupRequests(connection: Connection): void {
  connection.onRequest(FIND_STALE_FILES, async (params: FindStaleFilesParams): Promise<FindStaleFilesResult> => {
    return scanStaleFiles(params.folder, await scanOptions(params.folder, params.minAgeMinutes, params.includeDependencies));
  });
  connection.onRequest(PREPARE_STALE_FILE_REMOVAL, async (params: PrepareRemovalParams): Promise<PrepareRemovalResult> => {
    const options = await scanOptions(params.folder, params.minAgeMinutes);
    const plan = await confirmCandidates(params.candidates, await fs.promises.realpath(params.folder), options);
    const result: PrepareRemovalResult = { toTrash: [], removed: [], skipped: plan.skipped };
    for (const candidate of plan.confirmed) {
      if (candidate.kind === "temp") result.toTrash.push(candidate);
      else if (await removeCandidate(candidate, params.minAgeMinutes)) result.removed.push(candidate.relativePath);
      else result.skipped.push({ relativePath: candidate.relativePath, why: "could not be removed" });
    }
    return result;
  });
}
