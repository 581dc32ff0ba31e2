// Child for error tests: one atomic write, reporting the outcome as JSON on stdout.
import { atomicWriteFile } from "../../src/tornwrite-runtime";

const [target, bytes, mkdir] = process.argv.slice(2);
atomicWriteFile(target!, Buffer.alloc(Number(bytes), 97), { mkdir: mkdir !== "no-mkdir" }).then(
  () => process.stdout.write(JSON.stringify({ ok: true })),
  (error: NodeJS.ErrnoException) => process.stdout.write(JSON.stringify({ ok: false, code: error.code })),
);
