import { ts } from "./ts";
import { parse } from "./analyze";

/**
 * Keeps the syntax trees of the last few edited documents and re-parses incrementally: a keystroke
 * reuses every subtree outside the edit (`ts.updateSourceFile`), instead of parsing the whole file.
 * Only `capacity` trees are kept.
 */
export class SourceFileCache {
  private readonly entries = new Map<string, { sourceFile: ts.SourceFile; updates: number }>();

  /**
   * Nodes that incremental parses keep reuse strings sliced from the text they were parsed from, so every
   * kept node pins an old version of the whole file. A full parse now and then lets those versions go:
   * memory stays flat under edits, for one ordinary parse every `fullParseEvery` keystrokes.
   */
  constructor(
    private readonly capacity = 8,
    private readonly fullParseEvery = 100,
  ) {}

  parse(fileName: string, text: string): ts.SourceFile {
    const previous = this.entries.get(fileName);
    let entry: { sourceFile: ts.SourceFile; updates: number };
    if (previous && previous.sourceFile.text === text) entry = previous;
    else if (previous && previous.updates < this.fullParseEvery) {
      entry = { sourceFile: ts.updateSourceFile(previous.sourceFile, text, changeRange(previous.sourceFile.text, text)), updates: previous.updates + 1 };
    } else entry = { sourceFile: parse(fileName, text), updates: 0 };
    this.entries.delete(fileName);
    this.entries.set(fileName, entry);
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value as string);
    return entry.sourceFile;
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
