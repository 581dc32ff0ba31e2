import type { RuleModule } from "../engine/rule";
import { nonAtomicWrite } from "./non-atomic-write";
import { unlockedReadModifyWrite } from "./unlocked-read-modify-write";
import { lockReleaseOrder } from "./lock-release-order";
import { lockOrderInversion } from "./lock-order-inversion";
import { parseFailureOverwrite } from "./parse-failure-overwrite";
import { collidingTempName } from "./colliding-temp-name";
import { tempNotCleaned } from "./temp-not-cleaned";
import { renameWithoutFsync } from "./rename-without-fsync";
import { crossDeviceRename } from "./cross-device-rename";
import { renameAsideWindow } from "./rename-aside-window";
import { renameWithoutRetry } from "./rename-without-retry";
import { checkThenAct } from "./check-then-act";
import { processLocalLock } from "./process-local-lock";
import { lockWithoutStaleRecovery } from "./lock-without-stale-recovery";
import { racyStaleTakeover } from "./racy-stale-takeover";
import { concurrentSameFileWrite } from "./concurrent-same-file-write";
import { missingParentDir } from "./missing-parent-dir";
import { insecureTempFile } from "./insecure-temp-file";
import { invalidDirective } from "./invalid-directive";

/** Every rule, in the order they appear in docs and settings. */
export const allRules: readonly RuleModule[] = [
  nonAtomicWrite,
  unlockedReadModifyWrite,
  parseFailureOverwrite,
  lockReleaseOrder,
  lockOrderInversion,
  collidingTempName,
  tempNotCleaned,
  renameWithoutFsync,
  crossDeviceRename,
  renameAsideWindow,
  renameWithoutRetry,
  checkThenAct,
  processLocalLock,
  lockWithoutStaleRecovery,
  racyStaleTakeover,
  concurrentSameFileWrite,
  missingParentDir,
  insecureTempFile,
  invalidDirective,
];
