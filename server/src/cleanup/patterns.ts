import { parseTempName } from "../../../runtime/src/tornwrite-runtime";
import type { TempTemplate } from "../engine/protocol";

/** What a file name says about itself: a leftover temp or lock of `base` (a sibling's name). */
export interface NameMatch {
  kind: "temp" | "lock";
  /** The target's file name in the same folder. */
  base: string;
  reason: string;
  /** Only a candidate when `base` exists beside it (the name alone is not distinctive enough). */
  needsBase: boolean;
  /** The writer's pid, when the name carries it. */
  ownerPid?: number;
  /** `file:line` of the workspace code whose template produced this name. */
  site?: string;
}

export type NameMatcher = (name: string, isDirectory: boolean) => NameMatch | undefined;

const UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

/** Patterns of common writers; each needs the target beside it unless the pattern is unmistakable. */
const GENERIC_TEMPS: { pattern: RegExp; reason: string }[] = [
  { pattern: new RegExp(`^(.+)\\.tmp\\.${UUID}$`, "i"), reason: "temp with a UUID suffix" },
  { pattern: /^(.+)\.tmp\.\d+(?:\.\d+)?$/, reason: "temp with a timestamp/pid suffix" },
  { pattern: /^(.+)\.tmp-[A-Za-z0-9_]+$/, reason: "temp with an id suffix (atomically and others)" },
  { pattern: /^\.(.+)\.[0-9a-f]{6,}\.tmp$/, reason: "hidden temp with a hex id" },
  { pattern: /^\.(.+)\.tmp$/, reason: "hidden fixed-name temp (steno and others)" },
  { pattern: /^(.+)\.tmp$/, reason: "fixed-name temp" },
];

/** write-file-atomic's `<name>.<uint32>`; plausible dates (`backup.20241124`) and short log rotations are not. */
const WRITE_FILE_ATOMIC = /^(.+)\.(\d{8,10})$/;

function looksLikeDate(digits: string): boolean {
  return digits.length === 8 && /^(19|20)\d\d(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])$/.test(digits);
}

/** The runtime's own names, other writers' common names and lock files: the matchers every scan uses. */
export const builtInMatcher: NameMatcher = (name, isDirectory) => {
  if (isDirectory) {
    // proper-lockfile and mkdir-based locks: `<name>.lock/`
    const lock = /^(.+)\.lock$/.exec(name);
    return lock?.[1] ? { kind: "lock", base: lock[1], reason: "lock directory (proper-lockfile style)", needsBase: true } : undefined;
  }
  const runtimeTemp = parseTempName(name);
  if (runtimeTemp) return { kind: "temp", base: runtimeTemp.target, reason: `TornWrite runtime temp of writer pid ${runtimeTemp.pid}`, needsBase: false, ownerPid: runtimeTemp.pid };
  const takeover = /^(.+\.lock)\.takeover$/.exec(name);
  if (takeover?.[1]) return { kind: "lock", base: takeover[1], reason: "lock takeover marker of a crashed process", needsBase: true };
  // Whether a lock file is a candidate depends on its content: see the scan.
  const lock = /^(.+)\.lock$/.exec(name);
  if (lock?.[1]) return { kind: "lock", base: lock[1], reason: "empty lock file", needsBase: false };
  for (const { pattern, reason } of GENERIC_TEMPS) {
    const match = pattern.exec(name);
    if (match?.[1]) return { kind: "temp", base: match[1], reason, needsBase: true };
  }
  const wfa = WRITE_FILE_ATOMIC.exec(name);
  if (wfa?.[1] && wfa[2] && !looksLikeDate(wfa[2])) return { kind: "temp", base: wfa[1], reason: "write-file-atomic temp", needsBase: true };
  return undefined;
};

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * A matcher for the file names one write site of the workspace produces, from its temp template:
 * `{target}.tmp.{now}` matches `media.json.tmp.1768391376101` with base `media.json`. Only the last
 * path segment is matched. Undefined when the name is not tied to the target or not distinctive.
 */
export function templateMatcher(template: TempTemplate, site: string): NameMatcher | undefined {
  let lastSlash = -1;
  template.parts.forEach((part, index) => {
    if (part.kind === "text" && part.text.includes("/")) lastSlash = index;
  });
  const parts = template.parts.slice(lastSlash + 1);
  const head = lastSlash >= 0 ? template.parts[lastSlash] : undefined;
  if (head?.kind === "text") parts.unshift({ kind: "text", text: head.text.slice(head.text.lastIndexOf("/") + 1) });
  if (parts.filter((part) => part.kind === "target").length !== 1) return undefined;
  const literal = parts.map((part) => (part.kind === "text" ? part.text : "")).join("");
  if (literal.length === 0 && !parts.some((part) => part.kind === "now" || part.kind === "pid")) return undefined;
  let source = "^";
  for (const part of parts) {
    if (part.kind === "text") source += escapeRegExp(part.text);
    else if (part.kind === "target") source += "(?<base>[^/]+?)";
    else if (part.kind === "now") source += "(?:\\d{10,17}|\\d{4}-\\d\\d-\\d\\dT[\\d:.-]+Z?)";
    else if (part.kind === "pid") source += "(?<pid>\\d{1,7})";
    else if (part.kind === "counter") source += "\\d+";
    else if (part.kind === "random") source += "[A-Za-z0-9_-]{4,}";
    else source += "[^/]+?";
  }
  const pattern = new RegExp(`${source}$`);
  // An unknown part (`{expr}`) could match anything: then the target must exist too.
  const needsBase = parts.some((part) => part.kind === "other") || literal.length < 2;
  return (name, isDirectory) => {
    if (isDirectory) return undefined;
    const groups = pattern.exec(name)?.groups;
    if (!groups?.["base"]) return undefined;
    const pid = groups["pid"] === undefined ? undefined : Number(groups["pid"]);
    return {
      kind: "temp",
      base: groups["base"],
      reason: `leftover of this workspace's ${template.text} temp`,
      needsBase,
      site,
      ...(pid === undefined ? {} : { ownerPid: pid }),
    };
  };
}
