import { ts as tsMorphTs } from "ts-morph";

/**
 * ts-morph's TypeScript, taken once. Bundled, every `ts.X` on the imported binding runs the bundler's
 * interop getter; the analysis touches `ts` millions of times per keystroke, so modules use this alias.
 */
export import ts = tsMorphTs;
