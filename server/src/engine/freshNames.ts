// Names made new for each write (a random part, an id, a timestamp): no other writer writes that file, so
// nothing is replaced in place (non-atomic-write) and a temp derived from it is as unique (colliding-temp-name).
import { ts } from "./ts";
import type { RuleContext } from "./rule";
import { pathKey, tempTemplate } from "./protocol";
import { displayPath } from "./paths";

/** A name with a random part made for each call (`${randomUUID()}.json`, a file in a fresh `mkdtemp` folder). */
export function hasRandomPart(context: Pick<RuleContext, "sourceFile" | "fs">, target: ts.Expression): boolean {
  return tempTemplate(target, "\u0000", context.sourceFile, context.fs).hasRandomness;
}

/**
 * A path with a random part or a time down to the second made where it is written (`v${version}-${timestamp}/`,
 * `hook-${Date.now()}.js`): true; a time cut to the day: false; no time or randomness in it: undefined.
 */
export function madeForTheCall(context: Pick<RuleContext, "sourceFile" | "fs">, target: ts.Expression): boolean | undefined {
  if (hasRandomPart(context, target)) return true;
  const template = tempTemplate(target, "\u0000", context.sourceFile, context.fs);
  if (!template.hasNow) return undefined;
  const text = `${target.getText(context.sourceFile)} ${displayPath(pathKey(target, context.sourceFile, context.fs))}`;
  // A day cut from a time (`toISOString().slice(0, 10)`), not any slice in the path (`process.argv.slice(2)`, seed 38).
  // A name down to the second or the millisecond (`_${date.getTime()}.bcup` beside its day parts) is new each time.
  if (/\b(Date\.now|getTime|getSeconds|getMilliseconds)\(\)(?!\s*\.\s*\w+\s*\()/.test(text)) return true;
  return !/(\b(now|toISOString|toUTCString|toJSON|getTime|toString)\(\)|\bnew Date\([^)]*\))\s*\.(slice|substring|substr|split)\(|toDateString|toLocale\w*String|getDate|getMonth/.test(text);
}

/**
 * A name made new for this write: a random part or an id generator, or a timestamp (`hook-${Date.now()}.js`;
 * not a day, `toISOString().slice(0, 10)`, which names a file rewritten all day).
 */
export function isFreshName(context: Pick<RuleContext, "sourceFile" | "fs">, target: ts.Expression): boolean {
  const madeForCall = madeForTheCall(context, target);
  if (madeForCall !== undefined) return madeForCall;
  const text = `${target.getText(context.sourceFile)} ${displayPath(pathKey(target, context.sourceFile, context.fs))}`;
  // A file name made of a timestamp by name (`crash_dump_${date}.json`, `${prefix}${fileDate()}.bin`).
  // Or made unique against what exists (`generateUniqueName(base, (name) => existsSync(…))`): a new file.
  if (/\b(generate|make|get)Unique\w*\(/.test(text)) return true;
  const last = (path: string) => path.split(/[\/\\]|,\s*/).pop() ?? "";
  // Or named by a fresh id or by its content's hash (`${uuid}.png`, `${this.generateHash()}.json`), or by a
  // time id (`profile-${getTimeId()}.trace`: scale study, seed 32): a new file.
  const named = /\$\{\s*(date|dateStr|timestamp|stamp|ts|now|unique\w*|uuid|\w+Uuid|\w*[hH]ash|(this\.)?\w*[hH]ash\([^)]*\))\s*\}|\b(fileDate|\w*[tT]imestamp|\w*[dD]ateStamp|\w*[tT]imeStamp|\w*[tT]imeId)\(\)/;
  const shown = last(displayPath(pathKey(target, context.sourceFile, context.fs)));
  // A parameter bound at the call shows by its name (`this.getFilePath(uuid, ext)` is `dir/uuid.ext`), a hash call by
  // its text (`${plugin}-${hash(new Date().toString())}.js`, a downloaded plugin: scale study, seed 76).
  return named.test(last(target.getText(context.sourceFile))) || named.test(shown) || /^(uuid|\w+Uuid|\w+Hash)(\.|$)|(^|[^\w$])\w*[hH]ash\(/.test(shown);
}
