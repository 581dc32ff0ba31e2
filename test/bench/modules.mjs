// The benchmark's generated TypeScript modules: shared by bench.mjs (keystroke latency) and abEngine.mjs.

/** A realistic 2,000-line TypeScript module: ordinary code with a write site every tenth block. */
export function realisticModule(lines) {
  const ordinary = (i) => `
export interface Record${i} { id: string; tags: string[]; score: number; updatedAt?: Date }

export class Service${i} {
  private readonly items = new Map<string, Record${i}>();
  constructor(private readonly limit: number) {}
  add(item: Record${i}): boolean {
    if (this.items.size >= this.limit) return false;
    this.items.set(item.id, { ...item, tags: [...new Set(item.tags)].sort() });
    return true;
  }
  top(n: number): Record${i}[] {
    return [...this.items.values()].filter((item) => item.score > 0).sort((a, b) => b.score - a.score).slice(0, n);
  }
}
`;
  const writer = (i) => `
export async function persist${i}(root: string, id: string, data: unknown): Promise<void> {
  const target = path.join(root, id, "state-${i}.json");
  const temp = \`\${target}.tmp.\${Date.now()}\`;
  await fs.promises.writeFile(temp, JSON.stringify(data, null, 2));
  await fs.promises.rename(temp, target);
}
`;
  let text = `import * as fs from "node:fs";\nimport * as path from "node:path";\n`;
  for (let i = 0; text.split("\n").length < lines; i++) text += i % 10 === 0 ? writer(i) : ordinary(i);
  return text;
}

/** A dense 2,000-line TypeScript module: write sites of every kind in every function (worst case). */
export function generatedModule(lines) {
  const block = (i) => `
export async function save${i}(root: string, id: string, data: unknown): Promise<void> {
  const target = path.join(root, id, "state-${i}.json");
  const previous = JSON.parse(await fs.promises.readFile(target, "utf8")) as Record<string, unknown>;
  const merged = { ...previous, ...(data as Record<string, unknown>), savedAt: Date.now() };
  const temp = \`\${target}.tmp.\${Date.now()}\`;
  await fs.promises.writeFile(temp, JSON.stringify(merged, null, 2));
  await fs.promises.rename(temp, target);
  fs.writeFileSync(path.join(root, "last-${i}.txt"), id);
}
`;
  let text = `import * as fs from "node:fs";\nimport * as path from "node:path";\n`;
  for (let i = 0; text.split("\n").length < lines; i++) text += block(i);
  return text;
}
