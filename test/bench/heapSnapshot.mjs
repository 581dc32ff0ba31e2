// What a V8 heap snapshot holds, by kind of object: self sizes summed per node type and constructor name.
// The file can be larger than a JavaScript string may be, so it is read as a stream: first the `nodes` array
// (numbers), then the `strings` array, keeping only the names the nodes used.
import * as fs from "node:fs";

/** Self size in bytes per `type:name` (objects by constructor name; strings, code, arrays by type). */
export async function heapByKind(file) {
  const meta = await readMeta(file);
  const fields = meta.node_fields;
  const typeNames = meta.node_types[0];
  const stride = fields.length;
  const typeAt = fields.indexOf("type");
  const nameAt = fields.indexOf("name");
  const sizeAt = fields.indexOf("self_size");
  const sizes = new Map(); // key: type index * 2^32 + name index (objects) or -type index (others)
  let fieldIndex = 0;
  let type = 0;
  let name = 0;
  let total = 0;
  let section = "";
  let number = "";
  let inString = false;
  let escaped = false;
  let stringIndex = 0;
  let current = "";
  const wanted = new Map(); // string index → name
  let pending = ""; // the tail of a chunk that may hold a section marker
  for await (const chunk of fs.createReadStream(file, { encoding: "utf8", highWaterMark: 1 << 22 })) {
    let text = pending + chunk;
    pending = "";
    let i = 0;
    while (i < text.length) {
      if (section === "nodes") {
        const ch = text.charCodeAt(i);
        if (ch >= 48 && ch <= 57) number += text[i];
        else if (number !== "") {
          const value = Number(number);
          number = "";
          const field = fieldIndex % stride;
          if (field === typeAt) type = value;
          else if (field === nameAt) name = value;
          else if (field === sizeAt) {
            const kind = typeNames[type];
            const key = kind === "object" || kind === "native" || kind === "closure" ? `${type}:${name}` : `${type}:`;
            sizes.set(key, (sizes.get(key) ?? 0) + value);
            total += value;
            if (kind === "object" || kind === "native" || kind === "closure") wanted.set(name, undefined);
          }
          fieldIndex++;
        }
        if (text[i] === "]") section = "";
        i++;
      } else if (section === "strings") {
        const ch = text[i];
        if (inString) {
          if (escaped) {
            current += `\\${ch}`;
            escaped = false;
          } else if (ch === "\\") escaped = true;
          else if (ch === '"') {
            inString = false;
            if (wanted.has(stringIndex)) wanted.set(stringIndex, decode(current));
            stringIndex++;
            current = "";
          } else if (wanted.has(stringIndex) && current.length < 200) current += ch;
        } else if (ch === '"') inString = true;
        else if (ch === "]") section = "done";
        i++;
      } else if (section === "done") break;
      else {
        // Looking for the next section we read; keep a tail in case the marker spans two chunks.
        const nodes = text.indexOf('"nodes":[', i);
        const strings = text.indexOf('"strings":[', i);
        const next = [nodes, strings].filter((at) => at >= 0).sort((a, b) => a - b)[0];
        if (next === undefined) {
          pending = text.slice(Math.max(i, text.length - 16));
          break;
        }
        section = next === nodes ? "nodes" : "strings";
        i = next + (section === "nodes" ? 9 : 11);
      }
    }
  }
  const rows = [...sizes.entries()].map(([key, bytes]) => {
    const [typeIndex, nameIndex] = key.split(":");
    const kind = typeNames[Number(typeIndex)];
    return { kind, name: nameIndex === "" ? `(${kind})` : (wanted.get(Number(nameIndex)) ?? "?"), bytes };
  });
  return { total, rows: rows.sort((a, b) => b.bytes - a.bytes) };
}

function decode(escapedText) {
  try {
    return JSON.parse(`"${escapedText}"`);
  } catch {
    return escapedText; // cut inside an escape at the length limit
  }
}

async function readMeta(file) {
  const handle = await fs.promises.open(file, "r");
  const buffer = Buffer.alloc(64 * 1024);
  const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
  await handle.close();
  const head = buffer.subarray(0, bytesRead).toString("utf8");
  const start = head.indexOf('"meta":');
  // The meta object ends where the node count begins.
  const end = head.indexOf(',"node_count"', start);
  return JSON.parse(head.slice(start + 7, end));
}

/** Groups a snapshot's rows into the parts a language server holds. */
export function heapParts(rows) {
  const parts = new Map();
  const add = (part, bytes) => parts.set(part, (parts.get(part) ?? 0) + bytes);
  for (const row of rows) {
    if (/^(NodeObject|TokenObject|IdentifierObject|PrivateIdentifierObject|SourceFileObject|SymbolObject|TypeObject|SignatureObject)$/.test(row.name)) add("TypeScript syntax trees (node objects)", row.bytes);
    else if (/string/.test(row.kind)) add("strings (document texts, names, messages)", row.bytes);
    else if (row.kind === "array" || row.name === "Array") add("arrays (node lists, findings, indexes)", row.bytes);
    else if (row.kind === "code" || row.kind === "closure" || row.name === "system / SharedFunctionInfo") add("code and closures", row.bytes);
    else if (row.kind === "hidden" || row.kind === "object shape" || row.name.startsWith("system /")) add("V8 internals (maps, contexts, feedback)", row.bytes);
    else if (row.name === "Map" || row.name === "Set" || row.name === "WeakMap") add("Map and Set objects", row.bytes);
    else add("other objects", row.bytes);
  }
  return [...parts.entries()].map(([part, bytes]) => ({ part, bytes })).sort((a, b) => b.bytes - a.bytes);
}
