import type { ts } from "./ts";
import type { ProgramFacts } from "./types";
import { topLevelModuleSpecifiers } from "./ast";
import { CHAT_BOT_CLIENT } from "./library";

/**
 * Whether a file's code serves callers that run at once: a server, an editor extension, a language server, an
 * Electron main process, worker threads. A lost update needs two read-modify-write cycles in flight together;
 * in a one-run pipeline (a CLI command, a build step patching the project it was handed) each file is updated
 * once, in order, and nothing races it. The module a file imports is the evidence a single file carries.
 */
const HOST_MODULES =
  /^(express|koa|@koa\/router|koa-router|fastify|@fastify\/[\w-]+|hapi|@hapi\/hapi|restify|polka|connect|micro|h3|hono|hono\/[\w-]+|elysia|@nestjs\/[\w-]+|next\/server|@trpc\/server|ws|socket\.io|electron|vscode|vscode-languageserver(\/[\w-]+)?|vscode-jsonrpc(\/[\w-]+)?|@modelcontextprotocol\/sdk(\/[\w./-]+)?)$/;

/** Node's own servers count when the file starts one: clients (`http.get`, a `Socket` to a device) do not serve. */
const NODE_SERVERS = /^(node:)?(http|https|http2|net|tls)$/;

const hostFiles = new WeakMap<ts.SourceFile, boolean>();

export function servesConcurrentCallers(sourceFile: ts.SourceFile): boolean {
  let found = hostFiles.get(sourceFile);
  if (found === undefined) {
    const startsServer = /\bcreate(Secure)?Server\s*\(/.test(sourceFile.text);
    found = topLevelModuleSpecifiers(sourceFile).some((specifier) => HOST_MODULES.test(specifier) || (startsServer && NODE_SERVERS.test(specifier)) || /^(node:)?(cluster|worker_threads)$/.test(specifier));
    hostFiles.set(sourceFile, found);
  }
  return found;
}

/**
 * Code of a program that runs as one process, so its own files have one writer process: a chat bot (the file
 * imports a bot client — discord.js, grammy, Baileys… — or its package depends on one, as a bot's helpers import
 * none: scale study, seed 73), which runs once per token (a second one logged in with the same token answers every
 * message twice); or a Node-RED node, which runs in the one Node-RED process of its user directory (seed 76).
 */
export function runsAsOneProcess(sourceFile: ts.SourceFile, program: ProgramFacts): boolean {
  return program.chatBot === true || program.nodeRed === true || topLevelModuleSpecifiers(sourceFile).some((specifier) => CHAT_BOT_CLIENT.test(specifier));
}
