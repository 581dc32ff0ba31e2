import * as crypto from "node:crypto";

/** A self-validating payload: `TWPAYLOAD <seq> <bodyLength> <sha256(body)>\n` + body. */
export function makePayload(seq: number, bodyLength: number): Buffer {
  const body = crypto.randomBytes(Math.ceil(bodyLength / 2)).toString("hex").slice(0, bodyLength);
  const hash = crypto.createHash("sha256").update(body).digest("hex");
  return Buffer.from(`TWPAYLOAD ${seq} ${body.length} ${hash}\n${body}`);
}

export type PayloadCheck = { ok: true; seq: number } | { ok: false; reason: string };

export function checkPayload(content: Buffer): PayloadCheck {
  if (content.length === 0) return { ok: false, reason: "empty" };
  const newline = content.indexOf(10);
  const header = /^TWPAYLOAD (\d+) (\d+) ([0-9a-f]{64})$/.exec(content.subarray(0, Math.max(newline, 0)).toString());
  if (!header) return { ok: false, reason: "no header" };
  const body = content.subarray(newline + 1);
  if (body.length !== Number(header[2])) return { ok: false, reason: `torn: ${body.length} of ${header[2]} bytes` };
  if (crypto.createHash("sha256").update(body).digest("hex") !== header[3]) return { ok: false, reason: "hash mismatch" };
  return { ok: true, seq: Number(header[1]) };
}
