import * as fs from "node:fs";

/** Whether a process with this pid exists on this host (EPERM: it exists but is someone else's). */
export function pidIsAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** The files some process holds open, from `/proc/<pid>/fd` (Linux); what could not be read is counted. */
export interface OpenFiles {
  paths: Set<string>;
  /** False off Linux: callers fall back to age and owner-pid liveness. */
  available: boolean;
  /** Processes whose descriptors could not be read (another user's, without privileges). */
  unreadableProcesses: number;
}

export function scanOpenFiles(): OpenFiles {
  const paths = new Set<string>();
  let pids: string[];
  try {
    pids = fs.readdirSync("/proc").filter((name) => /^\d+$/.test(name));
  } catch {
    return { paths, available: false, unreadableProcesses: 0 };
  }
  let unreadableProcesses = 0;
  for (const pid of pids) {
    let descriptors: string[];
    try {
      descriptors = fs.readdirSync(`/proc/${pid}/fd`);
    } catch (error) {
      // A process that ended meanwhile is not a problem; one we may not inspect is.
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") unreadableProcesses++;
      continue;
    }
    for (const descriptor of descriptors) {
      try {
        paths.add(fs.readlinkSync(`/proc/${pid}/fd/${descriptor}`));
      } catch {
        // closed between the listing and the readlink
      }
    }
  }
  return { paths, available: true, unreadableProcesses };
}
