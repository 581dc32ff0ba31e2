import { allRules } from "../../server/src/rules";
import { testRule } from "../ruleTester";

for (const rule of allRules) testRule(rule);
