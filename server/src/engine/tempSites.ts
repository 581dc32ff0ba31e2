import { parse } from "./analyze";
import { FS_MODULE_MENTION, FsModel } from "./fsModel";
import { extractProtocols, tempTemplate, tempWritePairsOf, type TempTemplate } from "./protocol";

/** A place in the code that writes a temp file and renames it over a target: what it names its temps. */
export interface TempSite {
  template: TempTemplate;
  /** 0-based position of the temp write. */
  line: number;
  character: number;
}

/**
 * The temp-name templates of a file's write+rename pairs (e.g. `{target}.tmp.{now}`): the cleanup
 * turns them into matchers for this code's own leftovers; the stress check replays them. Pure.
 */
export function tempSites(fileName: string, text: string): TempSite[] {
  if (!FS_MODULE_MENTION.test(text) || !text.includes("rename")) return [];
  const sourceFile = parse(fileName, text);
  const fsModel = new FsModel(sourceFile);
  return tempWritePairsOf(extractProtocols(fsModel)).map(({ pair }) => {
    const position = sourceFile.getLineAndCharacterOfPosition(pair.write.call.getStart(sourceFile));
    return { template: tempTemplate(pair.write.path, pair.rename.toKey, sourceFile, fsModel), line: position.line, character: position.character };
  });
}
