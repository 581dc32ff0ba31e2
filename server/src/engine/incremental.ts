import { ts } from "./ts";
import { parse } from "./analyze";

/**
 * Keeps the syntax trees of the last few edited documents and re-parses incrementally: a keystroke
 * reuses every subtree outside the edit (`ts.updateSourceFile`), instead of parsing the whole file.
 * Only plain TypeScript nodes are kept (no ts-morph wrappers), and only `capacity` of them.
 */
export class SourceFileCache {
  private readonly entries = new Map<string, ts.SourceFile>();

  constructor(private readonly capacity = 8) {}

  parse(fileName: string, text: string): ts.SourceFile {
    const previous = this.entries.get(fileName);
    let sourceFile: ts.SourceFile;
    if (previous && previous.text === text) sourceFile = previous;
    else if (previous) sourceFile = ts.updateSourceFile(previous, text, changeRange(previous.text, text));
    else sourceFile = parse(fileName, text);
    this.entries.delete(fileName);
    this.entries.set(fileName, sourceFile);
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value as string);
    return sourceFile;
  }

  forget(fileName: string): void {
    this.entries.delete(fileName);
  }
}

/** The single span that differs between two texts (common prefix and suffix trimmed). */
export function changeRange(before: string, after: string): ts.TextChangeRange {
  let start = 0;
  const shorter = Math.min(before.length, after.length);
  while (start < shorter && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  let end = 0;
  while (end < shorter - start && before.charCodeAt(before.length - 1 - end) === after.charCodeAt(after.length - 1 - end)) end++;
  return ts.createTextChangeRange(ts.createTextSpan(start, before.length - end - start), after.length - end - start);
}
