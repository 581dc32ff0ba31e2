import { describe, it } from "node:test";
import * as assert from "node:assert/strict";
import { changeRange, SourceFileCache } from "../../server/src/engine/incremental";
import { parse } from "../../server/src/engine/analyze";

/** The reference: common prefix and suffix found one character at a time. */
function naiveChange(before: string, after: string): { start: number; length: number; newLength: number } {
  let start = 0;
  const shorter = Math.min(before.length, after.length);
  while (start < shorter && before[start] === after[start]) start++;
  let end = 0;
  while (end < shorter - start && before[before.length - 1 - end] === after[after.length - 1 - end]) end++;
  return { start, length: before.length - end - start, newLength: after.length - end - start };
}

describe("incremental parsing", () => {
  it("changeRange finds the same span as a character-by-character scan (random edits, repeats, empty texts)", () => {
    let seed = 17;
    const random = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    const texts = ["", "a", "aaaa", "export const x = 1;\nexport const y = 2;\n".repeat(40)];
    for (let trial = 0; trial < 400; trial++) {
      const before = texts[random(texts.length)]!;
      const at = random(before.length + 1);
      const removed = random(Math.min(5, before.length - at) + 1);
      const inserted = ["", "a", " ", "x = 1;", "aa"][random(5)]!;
      const after = before.slice(0, at) + inserted + before.slice(at + removed);
      const range = changeRange(before, after);
      assert.deepEqual({ start: range.span.start, length: range.span.length, newLength: range.newLength }, naiveChange(before, after), JSON.stringify({ at, removed, inserted }));
    }
  });

  it("a tree updated edit by edit equals a fresh parse of the final text", () => {
    const cache = new SourceFileCache();
    let text = 'import * as fs from "fs";\nexport function save(p: string) {\n  fs.writeFileSync(p, "x");\n}\n';
    cache.parse("/x/a.ts", text);
    for (const edit of [" ", "const y = 2;\n", "// note\n"]) {
      text = text.slice(0, 26) + edit + text.slice(26);
      const updated = cache.parse("/x/a.ts", text);
      assert.equal(updated.text, text);
      const shape = (node: import("typescript").Node): string => `${node.kind}[${node.getStart()}-${node.end}](${node.getChildren().map(shape).join(",")})`;
      assert.equal(shape(updated), shape(parse("/x/a.ts", text)));
    }
  });
});
