import * as fs from "node:fs";
import * as net from "node:net";
import * as path from "node:path";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { REPO } from "../workspace";
import type { CodeServerHost } from "./editorHost";

export interface CodeServerOptions {
  workspace: string;
  /** The packaged extension to install (what users install), not the source folder. */
  vsix?: string;
  /** More code-server arguments, e.g. `--vscode-option enable-smoke-test-driver` for extension tests. */
  extraArgs?: string[];
  /** Workspace trust on: the folder opens in restricted mode. */
  restricted?: boolean;
  settings?: Record<string, unknown>;
}

export interface RunningCodeServer {
  url: string;
  /** Where this instance keeps its data; screenshots of failures go next to it. */
  dir: string;
  log(): string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function waitForHealth(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`code-server exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${url}/healthz`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`code-server did not answer ${url}/healthz within ${timeoutMs} ms`);
}

/**
 * A fresh code-server (VS Code 1.139 with a Node extension host) with its own user data, extensions
 * and config (never the machine's), the .vsix installed. Runs in its own process group so that stop()
 * also ends its extension host, language server and file watcher.
 */
export async function startCodeServer(host: CodeServerHost, options: CodeServerOptions): Promise<RunningCodeServer> {
  const dir = fs.mkdtempSync(path.join(REPO, ".cache", "e2e", "code-server-"));
  const userData = path.join(dir, "user-data");
  const extensions = path.join(dir, "extensions");
  const config = path.join(dir, "config.yaml");
  fs.mkdirSync(path.join(userData, "User"), { recursive: true });
  fs.writeFileSync(config, "auth: none\ncert: false\n");
  const settings = {
    "security.workspace.trust.enabled": options.restricted === true,
    "workbench.startupEditor": "none",
    "workbench.tips.enabled": false,
    "telemetry.telemetryLevel": "off",
    "extensions.autoUpdate": false,
    "extensions.autoCheckUpdates": false,
    "update.mode": "none",
    "typescript.disableAutomaticTypeAcquisition": true,
    "git.enabled": false,
    "chat.disableAIFeatures": true,
    "workbench.secondarySideBar.defaultVisibility": "hidden",
    ...options.settings,
  };
  fs.writeFileSync(path.join(userData, "User", "settings.json"), JSON.stringify(settings, null, 2));
  const common = ["--config", config, "--user-data-dir", userData, "--extensions-dir", extensions];
  if (options.vsix) {
    const install = spawnSync(host.node24, [host.codeServerEntry, ...common, "--install-extension", options.vsix], { encoding: "utf8", timeout: 120_000 });
    if (install.status !== 0) throw new Error(`installing ${options.vsix} failed:\n${install.stdout}\n${install.stderr}`);
  }

  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const logFile = path.join(dir, "code-server.log");
  const out = fs.openSync(logFile, "w");
  const child = spawn(
    host.node24,
    [host.codeServerEntry, ...common, "--bind-addr", `127.0.0.1:${port}`, "--auth", "none", "--disable-telemetry", "--disable-update-check", "--disable-getting-started-override", ...(options.extraArgs ?? []), options.workspace],
    { detached: true, stdio: ["ignore", out, out], env: { ...process.env, PATH: `${path.dirname(host.node24)}${path.delimiter}${process.env["PATH"] ?? ""}` } },
  );
  fs.closeSync(out);
  const log = () => fs.readFileSync(logFile, "utf8");
  const stop = async () => {
    if (child.exitCode !== null || child.pid === undefined) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    try {
      process.kill(-child.pid, "SIGTERM");
    } catch {
      return;
    }
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid!, "SIGKILL");
      } catch {
        // gone
      }
    }, 5000);
    await exited;
    clearTimeout(timer);
  };
  try {
    await waitForHealth(url, child, 30_000);
  } catch (error) {
    await stop();
    throw new Error(`${(error as Error).message}\n${log()}`);
  }
  return { url: `${url}/?folder=${encodeURIComponent(options.workspace)}`, dir, log, stop };
}
