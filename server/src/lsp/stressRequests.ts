import { LSPErrorCodes, ResponseError, type CancellationToken, type Connection } from "vscode-languageserver/node";
import { stressWorkspace } from "../stress/check";
import { StressCancelledError } from "../stress/runner";
import { loadProjectConfig } from "../project/config";
import {
  LIVE_STRESS_TARGETS,
  RUN_STRESS_CHECK,
  STRESS_PROGRESS,
  type LiveStressTargetsParams,
  type LiveStressTargetsResult,
  type RunStressCheckParams,
  type RunStressCheckResult,
  type StressProgressParams,
} from "./stressProtocol";

/**
 * The protocol replay executes no workspace code (only the file operations the analysis extracted), so
 * it runs in untrusted workspaces too. Cancelling the request kills the children and removes the scratch folder.
 */
export function registerStressRequests(connection: Connection): void {
  connection.onRequest(LIVE_STRESS_TARGETS, (params: LiveStressTargetsParams): LiveStressTargetsResult => {
    const config = loadProjectConfig(params.folder);
    return { targets: config.stressTargets.map((target) => ({ module: target.module, export: target.export })), problems: config.problems.filter((problem) => problem.includes("stress")) };
  });
  connection.onRequest(RUN_STRESS_CHECK, async (params: RunStressCheckParams, token: CancellationToken): Promise<RunStressCheckResult> => {
    const controller = new AbortController();
    const subscription = token.onCancellationRequested(() => controller.abort());
    try {
      return await stressWorkspace(params.folder, {
        budget: { ...(params.processes ? { processes: params.processes } : {}), ...(params.operations ? { operations: params.operations } : {}) },
        live: params.live === true,
        signal: controller.signal,
        onSite: (done, total, next) => {
          const progress: StressProgressParams = { done, total, ...(next ? { next: `${next.relativePath}:${next.line + 1}` } : {}) };
          void connection.sendNotification(STRESS_PROGRESS, progress);
        },
      });
    } catch (error) {
      if (error instanceof StressCancelledError) throw new ResponseError(LSPErrorCodes.RequestCancelled, "stress check cancelled");
      throw error;
    } finally {
      subscription.dispose();
    }
  });
}
