import * as vscode from "vscode";
import type { LanguageClient } from "vscode-languageclient/node";
import {
  LIVE_STRESS_TARGETS,
  RUN_STRESS_CHECK,
  STRESS_PROGRESS,
  type LiveStressTargetsParams,
  type LiveStressTargetsResult,
  type RunStressCheckParams,
  type RunStressCheckResult,
  type StressProgressParams,
} from "../../server/src/lsp/stressProtocol";
import { describeFailures } from "../../server/src/stress/describe";
import { stressReportMarkdown } from "../../server/src/stress/reportMarkdown";

/**
 * Live targets (`stress.targets` in .tornwrite.json) run the workspace's own code: offered only when
 * configured, chosen explicitly, and refused in restricted mode. Undefined: the user cancelled.
 */
async function chooseMode(client: LanguageClient, folder: vscode.WorkspaceFolder): Promise<boolean | undefined> {
  const configured = await client.sendRequest<LiveStressTargetsResult>(LIVE_STRESS_TARGETS, { folder: folder.uri.fsPath } satisfies LiveStressTargetsParams);
  if (configured.targets.length === 0) return false;
  const replay = { label: "Protocol replay", description: "runs no workspace code", live: false };
  const withLive = {
    label: "Protocol replay and live targets",
    description: `calls ${configured.targets.map((target) => `${target.export}()`).join(", ")} from .tornwrite.json: runs workspace code`,
    live: true,
  };
  const choice = await vscode.window.showQuickPick([replay, withLive], { title: "TornWrite stress check", placeHolder: "What to exercise" });
  if (!choice) return undefined;
  if (choice.live && !vscode.workspace.isTrusted) {
    void vscode.window.showErrorMessage(
      "TornWrite: live stress targets run this workspace's code, which restricted mode does not allow. Trust the workspace to use them; the protocol replay runs without.",
    );
    return undefined;
  }
  return choice.live;
}

/**
 * "TornWrite: Run Concurrent-Write Stress Check": the server replays every write site (cancellable
 * progress), the report opens as Markdown with its preview, and failing sites get diagnostics with the
 * observed numbers that point back into the report.
 */
export async function runStressCheck(client: LanguageClient, output: vscode.LogOutputChannel, diagnostics: vscode.DiagnosticCollection): Promise<void> {
  const folders = (vscode.workspace.workspaceFolders ?? []).filter((folder) => folder.uri.scheme === "file");
  const folder = folders.length <= 1 ? folders[0] : await vscode.window.showWorkspaceFolderPick({ placeHolder: "Folder to stress-check" });
  if (!folder) {
    void vscode.window.showInformationMessage("TornWrite: open a folder to run the stress check.");
    return;
  }
  const live = await chooseMode(client, folder);
  if (live === undefined) return;
  const report = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: "TornWrite stress check", cancellable: true },
    async (progress, token) => {
      let reported = 0;
      const subscription = client.onNotification(STRESS_PROGRESS, (params: StressProgressParams) => {
        const percent = params.total === 0 ? 100 : (params.done / params.total) * 100;
        progress.report({ increment: percent - reported, message: params.next ? `${params.done + 1}/${params.total}: ${params.next}` : "writing the report" });
        reported = percent;
      });
      try {
        return await client.sendRequest<RunStressCheckResult>(RUN_STRESS_CHECK, { folder: folder.uri.fsPath, live } satisfies RunStressCheckParams, token);
      } catch (error) {
        if (token.isCancellationRequested) return undefined;
        throw error;
      } finally {
        subscription.dispose();
      }
    },
  );
  if (!report) {
    output.info("Stress check cancelled; its scratch folder was removed.");
    return;
  }
  const { markdown, siteLines } = stressReportMarkdown(report, folder.name);
  const document = await vscode.workspace.openTextDocument({ language: "markdown", content: markdown });
  await vscode.window.showTextDocument(document, { preview: false });
  void vscode.commands.executeCommand("markdown.showPreviewToSide", document.uri).then(undefined, () => undefined);

  diagnostics.clear();
  const byFile = new Map<string, vscode.Diagnostic[]>();
  report.sites.forEach((site, index) => {
    if (site.before.verdict !== "fail") return;
    const range = new vscode.Range(site.line, site.character, site.line, site.character + Math.max(1, site.target.length));
    const fixNote = site.after.verdict === "pass" ? "the quick-fix's protocol passed the same run" : `after the fix: ${describeFailures(site.after).join(", ")}`;
    const diagnostic = new vscode.Diagnostic(
      range,
      `Stress check: ${describeFailures(site.before).join(", ")} under ${report.budget.processes} concurrent processes (${site.summary}); ${fixNote}.`,
      vscode.DiagnosticSeverity.Warning,
    );
    diagnostic.source = "tornwrite stress";
    diagnostic.relatedInformation = [new vscode.DiagnosticRelatedInformation(new vscode.Location(document.uri, new vscode.Position(siteLines[index] ?? 0, 0)), "stress report")];
    byFile.set(site.file, [...(byFile.get(site.file) ?? []), diagnostic]);
  });
  for (const [file, list] of byFile) diagnostics.set(vscode.Uri.file(file), list);
  const failing = report.sites.filter((site) => site.before.verdict === "fail").length;
  output.info(`Stress check of ${report.root}: ${failing} of ${report.sites.length} sites failed before the fix, ${report.sites.filter((site) => site.after.verdict === "fail").length} after (${(report.durationMs / 1000).toFixed(1)} s).`);
  void vscode.window.showInformationMessage(`TornWrite: ${failing} of ${report.sites.length} write sites failed the stress check; after the quick-fix: ${report.sites.filter((site) => site.after.verdict === "fail").length}.`);
}
