import { ts } from "../ts";
import type { Range } from "../types";
import type { FsModel } from "../fsModel";
import { writeApi } from "../fsOperations";
import { calleeName, nodeRange, referencedIdentifiers, scopeOf, shorten } from "../ast";
import { lockAcquisitions, lockNestings, type LockTarget } from "../lockAcquisitions";
import { moduleImports, type ModuleImport } from "./imports";
import { exportedNames } from "./exports";
import { accessorExports, type AccessorExport } from "./importedCycles";
import type { RuleContext } from "../rule";

/**
 * What other files of the workspace need to know about one file, as plain data (it crosses worker
 * threads and is cached between saves): which of its exported functions replace a file in place, and
 * which locks it takes nested. Lock identities are symbolic: `«specifier#name»` stands for a name
 * imported from (or, with specifier ".", declared in) a module, resolved once the workspace is known.
 */
export interface ModuleFacts {
  fileName: string;
  imports: ModuleImport[];
  /** Top-level string constants, so that a lock on an imported constant can be compared by value. */
  constants: Record<string, string>;
  writers: WriterExport[];
  nestings: NestingFact[];
  /** Exported helpers that read, or write back, the path they are handed (see importedCycles.ts). */
  accessors?: AccessorExport[];
}

/** An exported function that writes one of its parameters' paths in place (a non-atomic-write finding). */
export interface WriterExport {
  exported: string;
  /** The fs call, e.g. `fs.writeFileSync`. */
  callee: string;
  /** Which parameter the written path is, or is built from. */
  parameter: number;
  /** The written path as the wrapper spells it, when it is more than the parameter itself. */
  targetText?: string | undefined;
  parameterName: string;
  range: Range;
}

export interface NestingFact {
  outer: string;
  inner: string;
  /** The keys as this file spells them, for messages. */
  outerText: string;
  innerText: string;
  range: Range;
  disabled: boolean;
}

export const THIS_MODULE = ".";

/**
 * Facts of one analysed file. `reportedWrites` are the start offsets of its non-atomic-write findings
 * (so exemptions and settings apply exactly as they do to the file itself); `isDisabled` applies its
 * comment directives.
 */
export function moduleFacts(fs: FsModel, reportedWrites: ReadonlySet<number>, isDisabled: (ruleId: string, line: number) => boolean, context?: RuleContext): ModuleFacts {
  const { sourceFile } = fs;
  const imports = moduleImports(sourceFile);
  const symbols = new SymbolicKeys(fs, imports);
  return {
    fileName: sourceFile.fileName,
    imports,
    constants: symbols.constants,
    writers: writerExports(fs, reportedWrites),
    nestings: nestingFacts(fs, symbols, isDisabled),
    ...(context ? { accessors: accessorExports(context) } : {}),
  };
}

function writerExports(fs: FsModel, reportedWrites: ReadonlySet<number>): WriterExport[] {
  const { sourceFile } = fs;
  if (reportedWrites.size === 0) return [];
  const exported = exportedNames(sourceFile);
  const writers: WriterExport[] = [];
  for (const fsCall of fs.calls) {
    if (!writeApi(fsCall.module, fsCall.name) || !reportedWrites.has(fsCall.call.expression.getStart(sourceFile))) continue;
    const target = fsCall.call.arguments[0];
    const wrapper = scopeOf(fsCall.call);
    const names = exported.get(wrapper);
    if (!target || !names || !ts.isFunctionLike(wrapper)) continue;
    const parameters = wrapper.parameters.map((parameter) => (ts.isIdentifier(parameter.name) ? parameter.name.text : undefined));
    const used = referencedIdentifiers(target).find((identifier) => parameters.includes(identifier.text) && fs.findDeclaration(identifier)?.parent?.parent === wrapper);
    if (!used) continue;
    const direct = ts.isIdentifier(target);
    for (const name of names) {
      writers.push({
        exported: name,
        callee: fsCall.call.expression.getText(sourceFile),
        parameter: parameters.indexOf(used.text),
        parameterName: used.text,
        targetText: direct ? undefined : shorten(target.getText(sourceFile), 60),
        range: nodeRange(sourceFile, fsCall.call.expression),
      });
    }
  }
  return writers;
}

function nestingFacts(fs: FsModel, symbols: SymbolicKeys, isDisabled: (ruleId: string, line: number) => boolean): NestingFact[] {
  const { sourceFile } = fs;
  const facts: NestingFact[] = [];
  for (const { outer, inner } of lockNestings(lockAcquisitions(fs))) {
    const outerKey = symbols.of(outer.target);
    const innerKey = symbols.of(inner.target);
    if (!outerKey || !innerKey || outerKey === innerKey) continue;
    const range = nodeRange(sourceFile, inner.call.expression);
    facts.push({ outer: outerKey, inner: innerKey, outerText: outer.key, innerText: inner.key, range, disabled: isDisabled("lock-order-inversion", range.start.line) });
  }
  return facts;
}

/**
 * Lock identities that mean the same in every file: string values, and names of module-level bindings
 * qualified by their module. Anything local to a function (a parameter, `this.x`) has none.
 */
class SymbolicKeys {
  readonly constants: Record<string, string> = {};
  private readonly importsByLocal: Map<string, ModuleImport>;

  constructor(private readonly fs: FsModel, imports: readonly ModuleImport[]) {
    this.importsByLocal = new Map(imports.map((entry) => [entry.local, entry]));
    for (const statement of fs.sourceFile.statements) {
      if (!ts.isVariableStatement(statement) || !(statement.declarationList.flags & ts.NodeFlags.Const)) continue;
      for (const declaration of statement.declarationList.declarations) {
        const value = declaration.initializer && ts.isStringLiteralLike(declaration.initializer) ? declaration.initializer.text : undefined;
        if (ts.isIdentifier(declaration.name) && value !== undefined) this.constants[declaration.name.text] = value;
      }
    }
  }

  of(target: LockTarget): string | undefined {
    if (target.kind === "path") return this.expression(target.path);
    if (target.kind === "object") return this.expression(target.object);
    const object = this.expression(target.object);
    const key = this.expression(target.key);
    return object && key ? `${object}[${key}]` : undefined;
  }

  private expression(node: ts.Expression): string | undefined {
    if (ts.isParenthesizedExpression(node) || ts.isAsExpression(node) || ts.isNonNullExpression(node)) return this.expression(node.expression);
    if (ts.isStringLiteralLike(node)) return JSON.stringify(node.text);
    if (ts.isIdentifier(node)) return this.identifier(node);
    if (ts.isPropertyAccessExpression(node)) {
      // A namespace import's member is that module's export.
      const namespace = ts.isIdentifier(node.expression) ? this.moduleBinding(node.expression) : undefined;
      if (namespace && (namespace.imported === "*" || namespace.imported === "default")) return `«${namespace.specifier}#${node.name.text}»`;
      const object = this.expression(node.expression);
      return object && `${object}.${node.name.text}`;
    }
    if (ts.isTemplateExpression(node)) {
      const parts = [JSON.stringify(node.head.text)];
      for (const span of node.templateSpans) {
        const value = this.expression(span.expression);
        if (!value) return undefined;
        parts.push(value, JSON.stringify(span.literal.text));
      }
      return parts.join("+");
    }
    if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusToken) {
      const left = this.expression(node.left);
      const right = this.expression(node.right);
      return left && right ? `${left}+${right}` : undefined;
    }
    if (ts.isCallExpression(node) && /^(join|resolve)$/.test(calleeName(node.expression))) {
      const parts = node.arguments.map((argument) => this.expression(argument));
      return parts.every((part) => part !== undefined) ? `${calleeName(node.expression)}(${parts.join(",")})` : undefined;
    }
    return undefined;
  }

  private identifier(node: ts.Identifier): string | undefined {
    const imported = this.moduleBinding(node);
    if (imported) return `«${imported.specifier}#${imported.imported === "*" ? "default" : imported.imported}»`;
    const declaration = this.fs.findDeclaration(node);
    if (!declaration || this.fs.findDeclarationOfName(node.text, this.fs.sourceFile) !== declaration) return undefined; // local to a function
    const value = this.constants[node.text];
    return value !== undefined ? JSON.stringify(value) : `«${THIS_MODULE}#${node.text}»`;
  }

  /** The import an identifier is bound to, unless a local declaration shadows it. */
  private moduleBinding(node: ts.Identifier): ModuleImport | undefined {
    const imported = this.importsByLocal.get(node.text);
    if (!imported) return undefined;
    const declaration = this.fs.findDeclaration(node);
    return declaration === undefined || this.fs.findDeclarationOfName(node.text, this.fs.sourceFile) === declaration ? imported : undefined;
  }
}
