import { ts } from "../engine/ts";
import type { RuleContext, RuleModule } from "../engine/rule";
import { tempTemplate } from "../engine/protocol";
import { propertyValue } from "../engine/ast";
import { cases } from "./insecure-temp-file.cases";

export const insecureTempFile: RuleModule = {
  id: "insecure-temp-file",
  defaultSeverity: "warning",
  shortDescription: "A predictable file name in os.tmpdir() is created without an exclusive flag and owner-only mode.",
  description:
    "/tmp is shared by every user of the machine. Another user can pre-create a predictable name there, or " +
    "plant a symlink that redirects the write onto one of your files; without 'wx' the write follows it, and " +
    "without mode 0o600 others can read what you wrote. CodeQL's js/insecure-temporary-file checks only the " +
    "mode. Use fs.mkdtemp for a private directory, or the runtime's uniqueTempPath with 'wx' and 0o600.",
  fixable: false,
  check,
  cases,
};

function check(context: RuleContext): void {
  const { sourceFile } = context;
  for (const protocol of context.protocols().values()) {
    const creations: { call: ts.CallExpression; path: ts.Expression; flag: string | undefined; mode: ts.Expression | undefined }[] = [
      ...protocol.writes.filter((write) => write.direct).map((write) => ({ call: write.call, path: write.path, flag: write.flag, mode: propertyValue(write.call.arguments[2], "mode") })),
      ...protocol.opens.filter((open) => open.direct).map((open) => ({ call: open.call, path: open.path, flag: open.flag, mode: open.call.arguments[2] })),
    ];
    for (const creation of creations) {
      const template = tempTemplate(creation.path, "\u0000", sourceFile, context.fs);
      if (!template.underTmpdir || template.hasRandomness) continue;
      if (isUnderPrivateDirectory(creation.path, sourceFile)) continue;
      if (WINDOWS_SCRIPT.test(template.text) || onlyOnWindows(creation.call, sourceFile)) continue;
      const exclusive = creation.flag?.includes("x") === true;
      const ownerOnly = creation.mode !== undefined && /^0o?600$|^384$/.test(creation.mode.getText(sourceFile));
      if (exclusive && ownerOnly) continue;
      const missing = [exclusive ? undefined : "an exclusive flag ('wx')", ownerOnly ? undefined : "mode 0o600"].filter(Boolean).join(" and ");
      context.report({
        node: creation.call.expression,
        message: `${template.text} is a predictable name in the shared temp directory, created without ${missing}: another user can pre-create it or plant a symlink there. Use fs.mkdtemp, or uniqueTempPath with 'wx' and 0o600.`,
      });
    }
  }
}

function isUnderPrivateDirectory(path: ts.Expression, sourceFile: ts.SourceFile): boolean {
  return /mkdtemp/.test(path.getText(sourceFile));
}

/**
 * A script only Windows runs (`apply-schtasks.ps1`, `setup.bat`): there os.tmpdir() is the user's own
 * `%LOCALAPPDATA%\\Temp`, which other users cannot write to (scale study, seed 70: a Task Scheduler script).
 */
const WINDOWS_SCRIPT = /\.(ps1|psm1|bat|cmd|vbs|reg)["'`]?$/i;

/** Inside `if (process.platform === "win32")` (or `isWindows`, `IS_WINDOWS`): the same per-user temp. */
function onlyOnWindows(node: ts.Node, sourceFile: ts.SourceFile): boolean {
  for (let current: ts.Node = node; current.parent && !ts.isSourceFile(current.parent); current = current.parent) {
    const parent = current.parent;
    if (ts.isIfStatement(parent) && parent.thenStatement === current && WINDOWS_TEST.test(parent.expression.getText(sourceFile).trim())) return true;
  }
  return false;
}

const WINDOWS_TEST = /^(process\.platform\s*===?\s*["'`]win32["'`]|["'`]win32["'`]\s*===?\s*process\.platform|(is_?windows|IS_WINDOWS|isWin|isWin32)(\(\))?)$/i;
