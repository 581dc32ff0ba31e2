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

/**
 * The single span that differs between two texts (common prefix and suffix trimmed). Found by binary search
 * over native string comparisons: a character loop over a large file was a visible share of each keystroke.
 */
export function changeRange(before: string, after: string): ts.TextChangeRange {
  const shorter = Math.min(before.length, after.length);
  // Slice equality (not startsWith, which measured slower than the character loop): V8 compares flat strings natively.
  const start = longestMatch(shorter, (length) => before.slice(0, length) === after.slice(0, length));
  const end = longestMatch(shorter - start, (length) => before.slice(before.length - length) === after.slice(after.length - length));
  return ts.createTextChangeRange(ts.createTextSpan(start, before.length - end - start), after.length - end - start);
}

/** The largest length in [0, limit] for which `matches` holds, given that it holds for every shorter length. */
function longestMatch(limit: number, matches: (length: number) => boolean): number {
  let low = 0;
  let high = limit;
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (matches(middle)) low = middle;
    else high = middle - 1;
  }
  return low;
}
