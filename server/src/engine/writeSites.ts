import { ts } from "./ts";
import { analyze, parse } from "./analyze";
import { calleeName, scopeOf, shorten } from "./ast";
import { FS_MODULE_MENTION, FsModel } from "./fsModel";
import { insideLockCallback } from "./accesses";
import { extractProtocols, tempTemplate, tempWritePairs, type TemplatePart } from "./protocol";
import type { Finding } from "./types";

/**
 * What the stress check replays for one write site: the file operations in order, abstracted from the
 * code (no workspace code runs). Plain data: it travels to the replay's child processes as JSON.
 */
export interface ReplayProtocol {
  /** `direct`: write the target in place; `tempRename`: write a temp, rename it over; `runtime`: atomicWriteFile. */
  write: "direct" | "tempRename" | "runtime";
  /** The temp name's parts, for `tempRename`. */
  template?: TemplatePart[];
  /** `wx`: the temp is created exclusively. */
  exclusive: boolean;
  fsync: boolean;
  /** The temp is removed when the write or rename fails. */
  cleanupOnError: boolean;
  /** The site reads the target and writes back a modification of it. */
  readModifyWrite: boolean;
  /** `in-process`: a Map/mutex lock that holds only inside one process; `file`: a cross-process lock. */
  lock: "none" | "in-process" | "file";
  /** The writer calls synchronous APIs (no two writes of one process overlap). */
  sync: boolean;
}

export interface WriteSite {
  /** 0-based position of the write. */
  line: number;
  character: number;
  /** The target path as written, shortened for reports. */
  target: string;
  protocol: ReplayProtocol;
  /** What the quick-fix would make of it (the runtime), for the before/after. */
  fixed: ReplayProtocol;
  /** e.g. `write {target}.tmp.{now} → rename → {target}; no fsync; no cleanup`. */
  summary: string;
  /** Rules that report at this site. */
  ruleIds: string[];
}

const RUNTIME_WRITERS = /^(atomicWriteFile|atomicWriteFileSync|atomicWriteJson|atomicWriteJsonSync)$/;
const RUNTIME_UPDATERS = /^(updateFile|updateJsonFile)$/;

export function summarize(protocol: ReplayProtocol, templateText?: string): string {
  const steps: string[] = [];
  if (protocol.readModifyWrite) steps.push("read");
  if (protocol.write === "runtime") steps.push(protocol.readModifyWrite ? "runtime update under a file lock" : "runtime atomic write");
  else if (protocol.write === "direct") steps.push("write {target} in place");
  else {
    steps.push(`write ${templateText ?? "{temp}"}${protocol.exclusive ? " (wx)" : ""}`);
    if (protocol.fsync) steps.push("fsync");
    steps.push("rename → {target}");
  }
  const notes: string[] = [];
  if (protocol.write === "tempRename") {
    if (!protocol.fsync) notes.push("no fsync");
    if (!protocol.cleanupOnError) notes.push("no cleanup on error");
  }
  if (protocol.write !== "runtime") notes.push(protocol.lock === "none" ? "no lock" : protocol.lock === "in-process" ? "in-process lock" : "file lock");
  return `${steps.join(" → ")}${notes.length > 0 ? `; ${notes.join(", ")}` : ""}`;
}

function fixedProtocol(protocol: ReplayProtocol): ReplayProtocol {
  return { write: "runtime", exclusive: true, fsync: true, cleanupOnError: true, readModifyWrite: protocol.readModifyWrite, lock: protocol.readModifyWrite ? "file" : "none", sync: protocol.sync };
}

function templateText(parts: readonly TemplatePart[]): string {
  return parts.map((part) => (part.kind === "text" ? part.text : part.kind === "other" ? "{…}" : `{${part.kind}}`)).join("");
}

/**
 * The write sites of a file with the protocol each performs: temp+rename pairs, in-place writes,
 * runtime calls, and read-modify-write cycles (also through same-file helpers, from the rule that
 * finds them). Pure: text in, sites out.
 */
export function writeSites(fileName: string, text: string): WriteSite[] {
  if (!FS_MODULE_MENTION.test(text) && !/atomicWrite|updateJsonFile|updateFile/.test(text)) return [];
  const sourceFile = parse(fileName, text);
  const fsModel = new FsModel(sourceFile);
  const findings = analyze(fileName, text, { fixes: "none" });
  const findingsOn = (line: number) => findings.filter((finding) => finding.range.start.line === line);
  const lockIn = (node: ts.Node): ReplayProtocol["lock"] => {
    if (insideLockCallback(node, sourceFile)) return "file";
    const scope = scopeOf(node);
    const inScope = (finding: Finding) => {
      const start = sourceFile.getPositionOfLineAndCharacter(finding.range.start.line, finding.range.start.character);
      return start >= scope.pos && start < scope.end;
    };
    return findings.some((finding) => finding.ruleId === "process-local-lock" && inScope(finding)) ? "in-process" : "none";
  };
  const sites: WriteSite[] = [];
  const add = (node: ts.Node, target: ts.Expression | undefined, protocol: ReplayProtocol, template?: string) => {
    const position = sourceFile.getLineAndCharacterOfPosition(node.getStart(sourceFile));
    const rmw = findingsOn(position.line).some((finding) => finding.ruleId === "unlocked-read-modify-write");
    const final = { ...protocol, readModifyWrite: protocol.readModifyWrite || rmw };
    sites.push({
      line: position.line,
      character: position.character,
      target: target ? shorten(target.getText(sourceFile)) : "?",
      protocol: final,
      fixed: fixedProtocol(final),
      summary: summarize(final, template),
      ruleIds: [...new Set(findingsOn(position.line).map((finding) => finding.ruleId))],
    });
  };

  const protocols = extractProtocols(fsModel);
  for (const protocol of protocols.values()) {
    const pairs = tempWritePairs(protocol);
    const tempKeys = new Set(pairs.map((pair) => pair.write.key));
    // Sites where the code performs them: a helper's operations are its own sites, not its callers'.
    for (const { write, rename } of pairs.filter((pair) => pair.write.direct && pair.rename.direct)) {
      const template = tempTemplate(write.path, rename.toKey, sourceFile, fsModel);
      const fsynced = write.flush || protocol.fsyncs.some((call) => call.pos > write.call.pos && call.pos < rename.call.pos);
      const replay: ReplayProtocol = {
        write: "tempRename",
        template: template.parts,
        exclusive: write.flag?.includes("x") === true,
        fsync: fsynced,
        cleanupOnError: protocol.unlinks.some((unlink) => unlink.key === write.key && unlink.onErrorPath),
        readModifyWrite: protocol.reads.some((read) => read.key === rename.toKey && read.call.pos < write.call.pos),
        lock: lockIn(write.call),
        sync: calleeName(write.call.expression).endsWith("Sync"),
      };
      add(write.call, rename.to, replay, templateText(template.parts));
    }
    // A temp opened for writing (a descriptor or a FileHandle that the data goes through) and renamed over
    // the target: the hand-rolled durable protocol (`openSync(tmp, "wx")`, write, `fsyncSync(fd)`, rename).
    const openedTemps = new Set<ts.Node>();
    for (const open of protocol.opens) {
      if (!open.direct || !/[wax+]/.test(open.flag ?? "")) continue;
      const rename = protocol.renames.find((candidate) => candidate.direct && candidate.key === open.key && candidate.call.pos > open.call.pos);
      if (!rename) continue;
      openedTemps.add(open.call);
      const template = tempTemplate(open.path, rename.toKey, sourceFile, fsModel);
      add(open.call, rename.to, {
        write: "tempRename",
        template: template.parts,
        exclusive: open.flag?.includes("x") === true,
        fsync: protocol.fsyncs.some((call) => call.pos > open.call.pos && call.pos < rename.call.pos),
        cleanupOnError: protocol.unlinks.some((unlink) => unlink.key === open.key && unlink.onErrorPath),
        readModifyWrite: protocol.reads.some((read) => read.key === rename.toKey && read.call.pos < open.call.pos),
        lock: lockIn(open.call),
        sync: calleeName(open.call.expression).endsWith("Sync"),
      }, templateText(template.parts));
    }
    for (const write of protocol.writes) {
      const name = calleeName(write.call.expression);
      if (!write.direct || write.fn.atomic || tempKeys.has(write.key) || /append/i.test(name)) continue;
      // `writeFileSync(fd, data)` into such a temp is a step of that protocol, not a write of its own.
      if (throughOpenedTemp(write.path, openedTemps, fsModel)) continue;
      add(write.call, write.path, {
        write: "direct",
        exclusive: false,
        fsync: write.flush,
        cleanupOnError: false,
        readModifyWrite: protocol.reads.some((read) => read.key === write.key && read.call.pos < write.call.pos),
        lock: lockIn(write.call),
        sync: name.endsWith("Sync"),
      });
    }
  }
  for (const call of fsModel.index.calls) {
    const name = calleeName(call.expression);
    const updater = RUNTIME_UPDATERS.test(name);
    if (!updater && !RUNTIME_WRITERS.test(name)) continue;
    add(call, call.arguments[0], { write: "runtime", exclusive: true, fsync: true, cleanupOnError: true, readModifyWrite: updater, lock: updater ? "file" : "none", sync: name.endsWith("Sync") });
  }
  // Read-modify-write cycles through helpers: the rule reports them at the helper call that writes.
  const covered = new Set(sites.map((site) => site.line));
  for (const finding of findings) {
    if (finding.ruleId !== "unlocked-read-modify-write" || covered.has(finding.range.start.line)) continue;
    const position = sourceFile.getPositionOfLineAndCharacter(finding.range.start.line, finding.range.start.character);
    const node = findNodeAt(sourceFile, position);
    const protocol: ReplayProtocol = {
      write: "tempRename",
      template: [{ kind: "target" }, { kind: "text", text: ".tmp-" }, { kind: "random" }],
      exclusive: true,
      fsync: true,
      cleanupOnError: true,
      readModifyWrite: true,
      lock: lockIn(node),
      sync: false,
    };
    sites.push({
      line: finding.range.start.line,
      character: finding.range.start.character,
      target: shorten(text.slice(position, sourceFile.getPositionOfLineAndCharacter(finding.range.end.line, finding.range.end.character))),
      protocol,
      fixed: fixedProtocol(protocol),
      summary: `${summarize({ ...protocol, write: "direct" }).replace("write {target} in place", "write back (through a helper; replayed as an atomic write)")}`,
      ruleIds: [...new Set(findingsOn(finding.range.start.line).map((each) => each.ruleId))],
    });
  }
  return sites.sort((a, b) => a.line - b.line || a.character - b.character);
}

/** A descriptor or FileHandle variable initialised by one of `opens` (`const fd = fs.openSync(tmp, "wx")`). */
function throughOpenedTemp(target: ts.Expression, opens: ReadonlySet<ts.Node>, fsModel: FsModel): boolean {
  if (opens.size === 0 || !ts.isIdentifier(target)) return false;
  const declaration = fsModel.findDeclaration(target)?.parent;
  let initializer = declaration && ts.isVariableDeclaration(declaration) ? declaration.initializer : undefined;
  while (initializer && (ts.isAwaitExpression(initializer) || ts.isParenthesizedExpression(initializer))) initializer = initializer.expression;
  return initializer !== undefined && opens.has(initializer);
}

function findNodeAt(sourceFile: ts.SourceFile, position: number): ts.Node {
  let found: ts.Node = sourceFile;
  const visit = (node: ts.Node): void => {
    if (position >= node.getStart(sourceFile) && position < node.end) {
      found = node;
      ts.forEachChild(node, visit);
    }
  };
  ts.forEachChild(sourceFile, visit);
  return found;
}
