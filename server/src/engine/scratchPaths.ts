import { ts } from "./ts";
import type { RuleContext } from "./rule";
import { calleeName, referencedIdentifiers } from "./ast";
import { assignedValues, displayPath, dominatingAssignment, pathKey } from "./paths";
import { thisAssignments } from "./ast";

/**
 * Scratch space: paths under a `mkdtemp` folder or `os.tmpdir()`, from a temp-file factory, or named as temps.
 * Nothing but the code that made them relies on them, and nothing else touches them while it runs.
 */

/** A file named as a temp (`temp_1.png`, `x.tmp`, a `tmp/` folder, a `'tempDir'` setting) is scratch, whether or not it is renamed later. */
const TEMP_NAME = /(^|[\/_.\-`"'(])(te?mp)(Dir|Path|Folder|Directory)?([\/_.\-`"'$)]|$)/i;

/**
 * A staging folder (`stagedDirectory/manifest.json`, `staging/upload.bin`): the program's private copy, published
 * to its real place afterwards by a rename or copy; nothing else reads it meanwhile (scale study, seeds 40-41).
 * A folder only: `config/staging.json` is a deployment environment's config.
 */
const STAGING_FOLDER = /(^|[\/_\-`"'(])stag(ed|ing)(Dir|Directory|Path|Folder|Root|Area)?\//i;

const TEMP_ENV = /^(RUNNER_TEMP|TEMP|TMP|TMPDIR)$/;

const TEMP_VARIABLE = /^(te?mp|_te?mp)([A-Z_]|$)|[a-z](Te?mp)([A-Z_]|$)/;

/** A path key that names a temp or a staging folder, as resolved through the caller's arguments. */
export function isScratchKey(key: string): boolean {
  const shown = displayPath(key);
  return TEMP_NAME.test(shown) || STAGING_FOLDER.test(shown);
}

/** Paths under a `mkdtemp` directory or `os.tmpdir()`, or named as temps, are scratch space, not persistent state. */
export function isScratchPath(context: RuleContext, expression: ts.Node, depth: number): boolean {
  if (depth > 3) return false;
  if (depth === 0 && ts.isExpression(expression) && isScratchKey(pathKey(expression, context.sourceFile, context.fs))) return true;
  // A variable the code names as a temp (`tempPath`, `tmpFile`): its value is built elsewhere, its role is not.
  if (depth === 0 && ts.isIdentifier(expression) && TEMP_VARIABLE.test(expression.text)) return true;
  // A file in a folder the code names as a temp (`path.join(tempNativePath, name)`: natives extracted for one launch).
  if (ts.isCallExpression(expression) && ts.isPropertyAccessExpression(expression.expression) && /^(join|resolve)$/.test(calleeName(expression.expression))) {
    const folder = expression.arguments[0];
    if (folder && ts.isIdentifier(folder) && TEMP_VARIABLE.test(folder.text)) return true;
  }
  // A value a variable is given: a path named as scratch, or built from scratch space.
  const scratchValue = (value: ts.Expression) => isScratchKey(pathKey(value, context.sourceFile, context.fs)) || isScratchPath(context, value, depth + 1);
  // A reassigned variable holds, where it is used, what the statement before gave it (seed 56).
  if (ts.isIdentifier(expression)) {
    const value = dominatingAssignment(expression, context.fs);
    if (value && scratchValue(value)) return true;
  }
  let scratch = false;
  const visit = (node: ts.Node): void => {
    if (scratch) return;
    if (ts.isCallExpression(node)) {
      const callee = node.expression;
      const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : "";
      // Also a temp-file factory (`packager.getTempFile(".json")`) and Electron's `app.getPath("temp")`.
      // And tempy's and tmp's fresh folders (`temporaryDirectory()`, `tempy.directory()`, `tmp.dirSync()`: seed 34), and
      // a module's own temp-folder function (`_tempDir()`, `tempDir()`: shelljs, seed 36).
      if (name === "mkdtemp" || name === "mkdtempSync" || /^mkdtemp(Sync)?$/.test(context.fs.resolveCallee(callee)?.name ?? "") || name === "tmpdir" || /^(get|create|make|new)(Temp|Tmp)(File|Path|Dir|DirPath|FilePath)?$|^tmpFile$|^temporary(Directory|File)(Task)?$|^_?(temp|tmp)Dir$/.test(name) || (name === "getPath" && /^["'`]temp["'`]$/.test(node.arguments[0]?.getText() ?? "")) || /^(tempy\.(directory|file)|tmp\.(dirSync|fileSync|tmpNameSync))$/.test(callee.getText(context.sourceFile))) {
        scratch = true;
        return;
      }
    }
    // The temp folder from the environment (`process.env.RUNNER_TEMP || process.env.TMPDIR`): a CI job's or the system's scratch space.
    if (ts.isPropertyAccessExpression(node) && TEMP_ENV.test(node.name.text) && node.expression.getText(context.sourceFile) === "process.env") {
      scratch = true;
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(expression);
  if (scratch) return true;
  // `this.tmpDir = fs.mkdtempSync(…)` in the constructor: every assignment of the property is scratch.
  if (ts.isExpression(expression) && depth < 3) {
    for (const [, name] of expression.getText(context.sourceFile).matchAll(/\bthis\.(#?\w+)/g)) {
      const values = thisAssignments(context.sourceFile).get(name!) ?? [];
      if (values.length > 0 && values.every((value) => isScratchPath(context, value, depth + 1))) return true;
    }
  }
  for (const identifier of referencedIdentifiers(expression)) {
    const declaration = context.fs.findDeclaration(identifier);
    const declared = declaration?.parent;
    // `fs.mkdtemp(prefix, (error, dir) => …)`: the callback's directory is scratch space too.
    if (declared && ts.isParameter(declared) && isMkdtempCallback(declared.parent)) return true;
    if (declared && ts.isVariableDeclaration(declared) && declared.initializer && declared.name === declaration) {
      if (isScratchPath(context, declared.initializer, depth + 1)) return true;
    }
    // `let configDir; … configDir = await mkdtemp(…)`: a variable given only scratch values later (seed 43), also
    // paths in a folder named as a temp (`let mediaPath = ""; … mediaPath = join(TEMP_MEDIA_DIR, `${id}.jpg`)`: seed 56).
    const values = assignedValues(identifier, context.fs);
    if (values && values.every(scratchValue)) return true;
  }
  return false;
}

function isMkdtempCallback(fn: ts.Node): boolean {
  const call = fn.parent;
  if (!call || !ts.isCallExpression(call) || !call.arguments.includes(fn as ts.Expression)) return false;
  const callee = call.expression;
  return /^mkdtemp$/.test(ts.isPropertyAccessExpression(callee) ? callee.name.text : ts.isIdentifier(callee) ? callee.text : "");
}
