import * as fs from "node:fs";
import * as path from "node:path";
import { assetDir } from "./assets";

/** The runtime as it is vendored: TypeScript source, an ES module build and a CommonJS build. */
export interface RuntimeSources {
  typescript: string;
  esm: string;
  commonjs: string;
}

export const RUNTIME_BASENAME = "tornwrite-runtime";

let cached: RuntimeSources | undefined;

export function loadRuntimeSources(): RuntimeSources {
  if (!cached) {
    const dir = assetDir("runtime");
    const read = (extension: string): string => fs.readFileSync(path.join(dir, `${RUNTIME_BASENAME}${extension}`), "utf8");
    cached = { typescript: read(".ts"), esm: read(".mjs"), commonjs: read(".cjs") };
  }
  return cached;
}
