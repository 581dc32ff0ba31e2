import * as vscode from "vscode";
import type { LanguageClient } from "vscode-languageclient/node";
import {
  FIND_STALE_FILES,
  PREPARE_STALE_FILE_REMOVAL,
  type FindStaleFilesParams,
  type FindStaleFilesResult,
  type PrepareRemovalParams,
  type PrepareRemovalResult,
} from "../../server/src/lsp/cleanupProtocol";
import type { StaleCandidate } from "../../server/src/cleanup/scan";

interface CandidateItem extends vscode.QuickPickItem {
  candidate: StaleCandidate;
}

function size(bytes: number): string {
  return bytes < 1024 ? `${bytes} B` : bytes < 1024 ** 2 ? `${(bytes / 1024).toFixed(1)} KiB` : `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
}

function age(seconds: number): string {
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min old`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)} h old`;
  return `${Math.floor(seconds / 86_400)} d old`;
}

async function pickFolder(): Promise<vscode.WorkspaceFolder | undefined> {
  const folders = (vscode.workspace.workspaceFolders ?? []).filter((folder) => folder.uri.scheme === "file");
  if (folders.length <= 1) return folders[0];
  return vscode.window.showWorkspaceFolderPick({ placeHolder: "Folder to clean up" });
}

/** Shows the scan as a checkbox list; resolves with what the user kept checked, or undefined if dismissed. */
function preview(scan: FindStaleFilesResult): Promise<StaleCandidate[] | undefined> {
  const quickPick = vscode.window.createQuickPick<CandidateItem>();
  quickPick.title = `TornWrite: ${scan.candidates.length} stale temp or lock file${scan.candidates.length === 1 ? "" : "s"}`;
  quickPick.placeholder = "Checked files are moved to the trash (stale locks are broken). Enter to confirm.";
  quickPick.canSelectMany = true;
  quickPick.matchOnDetail = true;
  quickPick.items = scan.candidates.map((candidate) => ({
    label: candidate.relativePath + (candidate.isDirectory ? "/" : ""),
    description: `${size(candidate.size)} · ${age(candidate.ageSeconds)}`,
    detail: candidate.reason + (candidate.site ? ` — written by ${candidate.site}` : ""),
    candidate,
  }));
  quickPick.selectedItems = quickPick.items;
  return new Promise((resolve) => {
    let accepted = false;
    quickPick.onDidAccept(() => {
      accepted = true;
      resolve(quickPick.selectedItems.map((item) => item.candidate));
      quickPick.hide();
    });
    quickPick.onDidHide(() => {
      if (!accepted) resolve(undefined);
      quickPick.dispose();
    });
    quickPick.show();
  });
}

/**
 * Moves a file to the trash. Remote file systems (code-server, SSH) have none: then the user is asked
 * once whether to delete the stale files permanently.
 */
async function trash(uri: vscode.Uri, count: number, allowPermanent: { value: boolean | undefined }, output: vscode.LogOutputChannel): Promise<void> {
  try {
    await vscode.workspace.fs.delete(uri, { useTrash: true, recursive: false });
    return;
  } catch (error) {
    if (allowPermanent.value === undefined) {
      output.warn(`Moving to the trash failed: ${error instanceof Error ? error.message : String(error)}`);
      const answer = await vscode.window.showWarningMessage(
        `TornWrite: this file system has no trash. Delete the ${count === 1 ? "stale file" : `${count} stale files`} permanently?`,
        { modal: true },
        "Delete Permanently",
      );
      allowPermanent.value = answer === "Delete Permanently";
    }
    if (!allowPermanent.value) throw error;
    await vscode.workspace.fs.delete(uri, { useTrash: false, recursive: false });
  }
}

/** "TornWrite: Clean Up Stale Temp Files": scan (server), preview (QuickPick), re-check (server), trash. */
export async function cleanStaleTemps(client: LanguageClient, output: vscode.LogOutputChannel): Promise<void> {
  const folder = await pickFolder();
  if (!folder) {
    void vscode.window.showInformationMessage("TornWrite: open a folder to clean up stale temp files.");
    return;
  }
  const minAgeMinutes = vscode.workspace.getConfiguration("tornwrite", folder.uri).get<number>("cleanup.minAgeMinutes", 10);
  const scan = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `TornWrite: scanning ${folder.name} for stale temp files…` },
    () => client.sendRequest<FindStaleFilesResult>(FIND_STALE_FILES, { folder: folder.uri.fsPath, minAgeMinutes } satisfies FindStaleFilesParams),
  );
  output.info(`Stale-file scan of ${scan.root}: ${scan.candidates.length} candidates, ${scan.kept.length} kept, ${scan.scannedEntries} entries.`);
  for (const kept of scan.kept) output.info(`  kept ${kept.relativePath}: ${kept.why}`);
  if (scan.openFilesNote) output.warn(scan.openFilesNote);
  if (scan.candidates.length === 0) {
    const keptNote = scan.kept.length > 0 ? ` (${scan.kept.length} in use or too recent, kept)` : "";
    void vscode.window.showInformationMessage(`TornWrite: no stale temp files or locks in ${folder.name}${keptNote}.`);
    return;
  }
  const chosen = await preview(scan);
  if (!chosen || chosen.length === 0) return;
  const plan = await client.sendRequest<PrepareRemovalResult>(PREPARE_STALE_FILE_REMOVAL, { folder: folder.uri.fsPath, minAgeMinutes, candidates: chosen } satisfies PrepareRemovalParams);
  const removed = [...plan.removed];
  const skipped = [...plan.skipped];
  const allowPermanent: { value: boolean | undefined } = { value: undefined };
  for (const candidate of plan.toTrash) {
    try {
      await trash(vscode.Uri.file(candidate.path), plan.toTrash.length, allowPermanent, output);
      removed.push(candidate.relativePath);
    } catch (error) {
      skipped.push({ relativePath: candidate.relativePath, why: error instanceof Error ? error.message : String(error) });
    }
  }
  for (const path of removed) output.info(`Removed ${path}`);
  for (const skip of skipped) output.warn(`Skipped ${skip.relativePath}: ${skip.why}`);
  const skippedNote = skipped.length > 0 ? `; ${skipped.length} skipped (changed or in use since the scan, see Output)` : "";
  void vscode.window.showInformationMessage(`TornWrite: removed ${removed.length} stale file${removed.length === 1 ? "" : "s"}${skippedNote}.`);
}
