// Child for signal tests: writes in a loop until a signal arrives, without its own signal handlers.
import { atomicWriteFile } from "../../src/tornwrite-runtime";

const [target] = process.argv.slice(2);
const payload = Buffer.alloc(4 * 1024 * 1024, 120);
async function loop(): Promise<void> {
  for (let i = 0; ; i++) {
    await atomicWriteFile(target!, payload);
    if (i === 0) process.stdout.write("ready\n");
  }
}
void loop();
