import typescript = require("typescript");

/**
 * The TypeScript compiler (pinned 5.9: the last line with a JavaScript API that typescript-eslint
 * supports, so the ESLint plugin can reuse its parse), taken once. Bundled, every `ts.X` on an
 * `import * as` binding runs the bundler's interop getter; the analysis touches `ts` millions of times
 * per keystroke, so modules use this alias.
 */
export import ts = typescript;
