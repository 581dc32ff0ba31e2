import * as vscode from "vscode";
import { cleanStaleTemps } from "./cleanStaleTemps";
import { runStressCheck } from "./stressCheck";
import { LanguageClient, State, TransportKind, type LanguageClientOptions, type ServerOptions } from "vscode-languageclient/node";

const LANGUAGES = ["typescript", "typescriptreact", "javascript", "javascriptreact"];
const FIX_ALL_KIND = vscode.CodeActionKind.SourceFixAll.append("tornwrite");

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const output = vscode.window.createOutputChannel("TornWrite", { log: true });
  const selector = LANGUAGES.flatMap((language) => [
    { scheme: "file", language },
    { scheme: "untitled", language },
  ]);
  const status = vscode.languages.createLanguageStatusItem("tornwrite.status", selector);
  status.name = "TornWrite";
  status.text = "TornWrite";
  status.detail = "starting";
  status.busy = true;
  status.command = { title: "Show Output", command: "tornwrite.showOutput" };

  const serverModule = context.asAbsolutePath("dist/server.js");
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ["--nolazy", "--inspect=6019"] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: selector,
    synchronize: { configurationSection: "tornwrite" },
    outputChannel: output,
    diagnosticCollectionName: "tornwrite",
  };
  client = new LanguageClient("tornwrite", "TornWrite", serverOptions, clientOptions);
  const stressDiagnostics = vscode.languages.createDiagnosticCollection("tornwrite-stress");

  context.subscriptions.push(
    output,
    status,
    client.onDidChangeState(({ newState }) => {
      status.busy = newState === State.Starting;
      status.detail = newState === State.Running ? "running" : newState === State.Starting ? "starting" : "stopped";
      status.severity = newState === State.Stopped ? vscode.LanguageStatusSeverity.Error : vscode.LanguageStatusSeverity.Information;
    }),
    vscode.commands.registerCommand("tornwrite.showOutput", () => output.show(true)),
    vscode.commands.registerCommand("tornwrite.restartServer", async () => {
      output.appendLine("Restarting the TornWrite server…");
      await client?.restart();
    }),
    stressDiagnostics,
    vscode.commands.registerCommand("tornwrite.runStressCheck", async () => {
      if (!client) return;
      try {
        await runStressCheck(client, output, stressDiagnostics);
      } catch (error) {
        output.error(`Stress check failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
        void vscode.window.showErrorMessage(`TornWrite: the stress check failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    }),
    vscode.commands.registerCommand("tornwrite.cleanStaleTemps", async () => {
      if (!client) return;
      try {
        await cleanStaleTemps(client, output);
      } catch (error) {
        output.error(`Clean Up Stale Temp Files failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
        void vscode.window.showErrorMessage(`TornWrite: Clean Up Stale Temp Files failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    }),
    vscode.commands.registerCommand("tornwrite.fixAll", async () => {
      const editor = vscode.window.activeTextEditor;
      if (!editor) return;
      const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
        "vscode.executeCodeActionProvider",
        editor.document.uri,
        new vscode.Range(0, 0, editor.document.lineCount, 0),
        FIX_ALL_KIND.value,
      );
      const fixAll = actions?.find((action) => action.kind && FIX_ALL_KIND.contains(action.kind) && action.edit);
      if (fixAll?.edit) await vscode.workspace.applyEdit(fixAll.edit);
      else void vscode.window.showInformationMessage("TornWrite: nothing to fix in this file.");
    }),
  );
  await client.start();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
