import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { spawnSync } from "node:child_process";
import { REPO, withoutNpmVariables } from "../workspace";

interface LockEntry {
  version: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  [key: string]: unknown;
}

/**
 * A project outside this repository that installs `packages` (at this repository's locked versions) and a
 * packed tarball with `npm ci --offline`: the lockfile is this repository's, cut down to what those packages
 * need, so npm takes every package from its cache (filled by this repository's own `npm ci`) and no
 * registry is asked. Returns the npm output; throws when the install fails.
 */
export function installOffline(dir: string, packages: readonly string[], tarball: string): string {
  const lock = JSON.parse(fs.readFileSync(path.join(REPO, "package-lock.json"), "utf8")) as { packages: Record<string, LockEntry> };
  const kept = new Map<string, LockEntry>();
  // Node's resolution: the nearest node_modules/<name> from the requiring package outwards.
  const resolve = (from: string, name: string): string | undefined => {
    for (let dir = from; ; ) {
      const key = `${dir ? `${dir}/` : ""}node_modules/${name}`;
      if (lock.packages[key]) return key;
      if (!dir) return undefined;
      const nested = dir.lastIndexOf("/node_modules/");
      dir = nested < 0 ? "" : dir.slice(0, nested);
    }
  };
  const visit = (key: string): void => {
    const entry = lock.packages[key];
    if (kept.has(key) || !entry) return;
    kept.set(key, entry);
    const peers = Object.keys(entry.peerDependencies ?? {}).filter((name) => !entry.peerDependenciesMeta?.[name]?.optional);
    for (const name of [...Object.keys(entry.dependencies ?? {}), ...Object.keys(entry.optionalDependencies ?? {}), ...peers]) {
      const found = resolve(key, name);
      if (found) visit(found);
    }
  };
  const dependencies: Record<string, string> = {};
  for (const name of packages) {
    visit(`node_modules/${name}`);
    dependencies[name] = lock.packages[`node_modules/${name}`]!.version;
  }
  const manifest = JSON.parse(spawnSync("tar", ["-xzOf", tarball, "package/package.json"], { encoding: "utf8" }).stdout) as Record<string, unknown>;
  const spec = `file:${path.relative(dir, tarball)}`;
  dependencies[manifest["name"] as string] = spec;
  const lockPackages: Record<string, unknown> = { "": { name: "offline-project", version: "1.0.0", dependencies } };
  for (const [key, entry] of kept) {
    const { dev: _dev, devOptional: _devOptional, peer: _peer, ...rest } = entry;
    lockPackages[key] = rest;
  }
  lockPackages[`node_modules/${manifest["name"] as string}`] = {
    version: manifest["version"],
    resolved: spec,
    integrity: `sha512-${crypto.createHash("sha512").update(fs.readFileSync(tarball)).digest("base64")}`,
    ...Object.fromEntries(["license", "bin", "engines", "peerDependencies"].filter((key) => manifest[key] !== undefined).map((key) => [key, manifest[key]])),
  };
  const existing = fs.existsSync(path.join(dir, "package.json")) ? (JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")) as Record<string, unknown>) : {};
  fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ ...existing, name: "offline-project", version: "1.0.0", private: true, dependencies }, null, 2));
  fs.writeFileSync(path.join(dir, "package-lock.json"), JSON.stringify({ name: "offline-project", version: "1.0.0", lockfileVersion: 3, requires: true, packages: lockPackages }, null, 2));
  const install = spawnSync("npm", ["ci", "--offline", "--no-audit", "--no-fund", "--ignore-scripts"], { cwd: dir, encoding: "utf8", env: withoutNpmVariables() });
  const output = `${install.stdout}${install.stderr}`;
  if (install.status !== 0) throw new Error(`npm ci --offline failed in ${dir}:\n${output}`);
  return output;
}
