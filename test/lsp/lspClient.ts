import { spawn, type ChildProcess } from "node:child_process";
import * as path from "node:path";
import {
  createProtocolConnection,
  StreamMessageReader,
  StreamMessageWriter,
  InitializeRequest,
  InitializedNotification,
  PublishDiagnosticsNotification,
  ConfigurationRequest,
  ShowDocumentRequest,
  ShutdownRequest,
  ExitNotification,
  DidOpenTextDocumentNotification,
  DidChangeTextDocumentNotification,
  DidSaveTextDocumentNotification,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
  type ShowDocumentParams,
} from "vscode-languageserver-protocol/node";

export const REPO_ROOT = path.resolve(__dirname, "../../..");
export const SERVER_BUNDLE = path.join(REPO_ROOT, "dist", "server.js");

/**
 * A real LSP client over stdio against the built server bundle (or another server: `server` is its
 * script and arguments, run with this Node in `cwd`): it answers configuration requests from `settings`
 * and records every diagnostics notification by document version.
 */
export class TestClient {
  readonly connection: ProtocolConnection;
  readonly diagnostics: PublishDiagnosticsParams[] = [];
  readonly shownDocuments: ShowDocumentParams[] = [];
  readonly messages: string[] = [];
  /** The server's window/logMessage lines (its output channel). */
  readonly log: string[] = [];
  readonly stderr: string[] = [];
  private readonly process: ChildProcess;
  private readonly waiters: { test: (p: PublishDiagnosticsParams) => boolean; resolve: (p: PublishDiagnosticsParams) => void }[] = [];

  constructor(
    public settings: Record<string, unknown> = { debounceMs: 0 },
    server: { args: string[]; cwd?: string } = { args: [SERVER_BUNDLE, "--stdio"] },
  ) {
    this.process = spawn(process.execPath, server.args, { stdio: ["pipe", "pipe", "pipe"], ...(server.cwd ? { cwd: server.cwd } : {}) });
    this.process.stderr?.on("data", (chunk: Buffer) => this.stderr.push(chunk.toString()));
    this.connection = createProtocolConnection(new StreamMessageReader(this.process.stdout!), new StreamMessageWriter(this.process.stdin!));
    this.connection.onRequest(ConfigurationRequest.type, (params) => params.items.map(() => this.settings));
    this.connection.onRequest(ShowDocumentRequest.type, (params) => {
      this.shownDocuments.push(params);
      return { success: true };
    });
    this.connection.onNotification("window/showMessage", (params: { message: string }) => {
      this.messages.push(params.message);
    });
    this.connection.onNotification("window/logMessage", (params: { message: string }) => {
      this.log.push(params.message);
    });
    this.connection.onRequest("window/showMessageRequest", (params: { message: string }) => {
      this.messages.push(params.message);
      return null;
    });
    this.connection.onNotification(PublishDiagnosticsNotification.type, (params) => {
      this.diagnostics.push(params);
      for (const waiter of [...this.waiters]) {
        if (waiter.test(params)) {
          this.waiters.splice(this.waiters.indexOf(waiter), 1);
          waiter.resolve(params);
        }
      }
    });
    this.connection.listen();
  }

  get exitCode(): number | null {
    return this.process.exitCode;
  }

  get alive(): boolean {
    return this.process.exitCode === null && this.process.signalCode === null;
  }

  async initialize(rootPath: string) {
    const rootUri = `file://${rootPath}`;
    const result = await this.connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri,
      workspaceFolders: [{ uri: rootUri, name: path.basename(rootPath) }],
      capabilities: {
        workspace: { configuration: true, workspaceEdit: { documentChanges: true, resourceOperations: ["create"] } },
        textDocument: { publishDiagnostics: { versionSupport: true }, codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ["quickfix", "source.fixAll"] } } } },
        window: { showDocument: { support: true } },
      },
    });
    await this.connection.sendNotification(InitializedNotification.type, {});
    return result;
  }

  /** Resolves with the first diagnostics notification (past or future) that satisfies `test`. */
  waitForDiagnostics(test: (params: PublishDiagnosticsParams) => boolean, timeoutMs = 20_000): Promise<PublishDiagnosticsParams> {
    const seen = this.diagnostics.find(test);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no matching diagnostics within ${timeoutMs} ms; stderr: ${this.stderr.join("")}; log: ${this.log.join("\n")}`)), timeoutMs);
      this.waiters.push({ test, resolve: (params) => { clearTimeout(timer); resolve(params); } });
    });
  }

  async open(uri: string, languageId: string, text: string, version = 1): Promise<void> {
    await this.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId, version, text } });
  }

  async replaceText(uri: string, version: number, text: string): Promise<void> {
    await this.connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges: [{ text }] });
  }

  async save(uri: string): Promise<void> {
    await this.connection.sendNotification(DidSaveTextDocumentNotification.type, { textDocument: { uri } });
  }

  async stop(): Promise<void> {
    if (this.alive) {
      await this.connection.sendRequest(ShutdownRequest.type).catch(() => undefined);
      await this.connection.sendNotification(ExitNotification.type).catch(() => undefined);
    }
    await new Promise<void>((resolve) => {
      if (!this.alive) return resolve();
      const timer = setTimeout(() => { this.process.kill("SIGKILL"); resolve(); }, 3000);
      this.process.once("exit", () => { clearTimeout(timer); resolve(); });
    });
    this.connection.dispose();
  }
}
