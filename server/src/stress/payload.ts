import * as crypto from "node:crypto";

/**
 * Stress payloads: a header naming the writer, its sequence number, the body's length and hash, `|`,
 * then the body. A read is whole only if the header parses and the body matches it, so a torn,
 * truncated, empty or interleaved file is always told apart from a complete one. Only characters that
 * JSON and template strings keep as they are, so a payload stays checkable inside what a live target
 * makes of it (a JSON document, a line in a log).
 */
const MAGIC = "TWSTRESS";

export function makePayload(writer: number, sequence: number, bodyBytes: number): Buffer {
  const body = Buffer.alloc(bodyBytes, `${writer}:${sequence};`);
  const digest = crypto.createHash("sha1").update(body).digest("hex");
  return Buffer.concat([Buffer.from(`${MAGIC} ${writer} ${sequence} ${bodyBytes} ${digest}|`), body]);
}

/** The whole file is exactly one payload. */
export function isWholePayload(data: Buffer): boolean {
  return data.subarray(0, MAGIC.length).toString("latin1") === MAGIC && containsWholePayload(data, true);
}

/**
 * Some payload inside `data` is complete (what a live target wrapped around it is not judged); with
 * `exact`, the payload must also end the data.
 */
export function containsWholePayload(data: Buffer, exact = false): boolean {
  const start = exact ? 0 : data.lastIndexOf(MAGIC);
  if (start < 0) return false;
  const bar = data.indexOf(124, start);
  if (bar < 0) return false;
  const [, , , length, digest] = data.subarray(start, bar).toString("latin1").split(" ");
  if (length === undefined || digest === undefined) return false;
  const body = data.subarray(bar + 1, bar + 1 + Number(length));
  if (body.length !== Number(length) || (exact && bar + 1 + body.length !== data.length)) return false;
  return crypto.createHash("sha1").update(body).digest("hex") === digest;
}

/** A short unique token per update call: live `update` targets must keep every one of them. */
export function updateToken(writer: number, sequence: number): string {
  return `TWUPDATE-${writer}-${sequence}-END`;
}

export function countTokens(text: string): number {
  return (text.match(/TWUPDATE-\d+-\d+-END/g) ?? []).length;
}

/** Read-modify-write payloads: JSON with a counter, padded so a write spans several chunks. */
export function makeCounter(count: number, padBytes: number): string {
  return JSON.stringify({ count, pad: "x".repeat(padBytes) });
}

export function parseCounter(text: string): number | undefined {
  try {
    const value = JSON.parse(text) as { count?: unknown };
    return typeof value.count === "number" ? value.count : undefined;
  } catch {
    return undefined;
  }
}
