// Child for crash tests: rewrites one target in a loop until SIGKILLed; says "ready" after the first write.
import * as fs from "node:fs";
import { atomicWriteFile } from "../../src/tornwrite-runtime";
import { makePayload } from "./payload";

const [target, mode, sizeText] = process.argv.slice(2);
if (!target || (mode !== "atomic" && mode !== "plain")) throw new Error("usage: crashWriter <target> atomic|plain <bytes>");
const size = Number(sizeText ?? 262144);
// Precomputed payloads keep the loop write-bound, so the kill lands mid-write often.
const payloads = Array.from({ length: 4 }, (_, i) => makePayload(i, size + i * 4099));

async function loop(): Promise<void> {
  for (let i = 0; ; i++) {
    const payload = payloads[i % payloads.length]!;
    if (mode === "atomic") await atomicWriteFile(target!, payload);
    else await fs.promises.writeFile(target!, payload);
    if (i === 0) process.stdout.write("ready\n");
  }
}
void loop();
