import * as crypto from "node:crypto";

/**
 * Stress payloads: a header line naming the writer, its sequence number, the body's length and hash,
 * then the body. A read is whole only if the header parses and the body matches it, so a torn,
 * truncated, empty or interleaved file is always told apart from a complete one.
 */
const MAGIC = "TWSTRESS";

export function makePayload(writer: number, sequence: number, bodyBytes: number): Buffer {
  const body = Buffer.alloc(bodyBytes, `${writer}:${sequence};`);
  const digest = crypto.createHash("sha1").update(body).digest("hex");
  return Buffer.concat([Buffer.from(`${MAGIC} ${writer} ${sequence} ${bodyBytes} ${digest}\n`), body]);
}

export function isWholePayload(data: Buffer): boolean {
  const newline = data.indexOf(10);
  if (newline < 0) return false;
  const [magic, , , length, digest] = data.subarray(0, newline).toString("latin1").split(" ");
  if (magic !== MAGIC || length === undefined || digest === undefined) return false;
  const body = data.subarray(newline + 1);
  return body.length === Number(length) && crypto.createHash("sha1").update(body).digest("hex") === digest;
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
