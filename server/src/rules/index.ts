import type { RuleModule } from "../engine/rule";
import { nonAtomicWrite } from "./non-atomic-write";

/** Every rule, in the order they appear in docs and settings. */
export const allRules: readonly RuleModule[] = [nonAtomicWrite];
