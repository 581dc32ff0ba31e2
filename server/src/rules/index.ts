import type { RuleModule } from "../engine/rule";
import { nonAtomicWrite } from "./non-atomic-write";
import { collidingTempName } from "./colliding-temp-name";
import { tempNotCleaned } from "./temp-not-cleaned";
import { renameWithoutFsync } from "./rename-without-fsync";
import { crossDeviceRename } from "./cross-device-rename";
import { lockReleaseOrder } from "./lock-release-order";
import { unlockedReadModifyWrite } from "./unlocked-read-modify-write";

/** Every rule, in the order they appear in docs and settings. */
export const allRules: readonly RuleModule[] = [nonAtomicWrite, collidingTempName, tempNotCleaned, renameWithoutFsync, crossDeviceRename, lockReleaseOrder, unlockedReadModifyWrite];
