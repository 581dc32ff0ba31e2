import { after, before, describe, it } from "node:test";
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { spawnSync } from "node:child_process";
import { REPO, copyFixture, typeCheck } from "../workspace";
import { ensureNeovim } from "./editorHost";

const SERVER = path.join(REPO, "dist", "server.js");

/**
 * Neovim 0.7 (Debian) as a second real LSP client: it attaches the built server over stdio, waits for
 * the diagnostic, asks for code actions, applies the preferred fix with Neovim's own workspace-edit code,
 * writes the buffer and reports what it saw as JSON.
 */
function initLua(workspace: string, resultFile: string): string {
  const lua = (value: string) => JSON.stringify(value);
  return `
local result = { diagnostics = {}, actions = {} }
local function finish(code)
  vim.fn.writefile({ vim.fn.json_encode(result) }, ${lua(resultFile)})
  if code == 0 then vim.cmd("qall!") else vim.cmd("cquit " .. code) end
end

vim.api.nvim_create_autocmd("FileType", {
  pattern = "typescript",
  callback = function(args)
    local client_id = vim.lsp.start_client({
      name = "tornwrite",
      cmd = { ${lua(process.execPath)}, ${lua(SERVER)}, "--stdio" },
      root_dir = ${lua(workspace)},
    })
    vim.lsp.buf_attach_client(args.buf, client_id)
  end,
})

vim.api.nvim_create_autocmd("VimEnter", {
  callback = function()
    local ok, err = pcall(function()
      local arrived = vim.wait(20000, function() return #vim.diagnostic.get(0) > 0 end, 50)
      if not arrived then error("no diagnostics within 20 s") end
      local diagnostics = vim.diagnostic.get(0)
      for _, d in ipairs(diagnostics) do
        table.insert(result.diagnostics, { code = d.user_data and d.user_data.lsp and d.user_data.lsp.code or d.code, line = d.lnum, source = d.source })
      end
      -- Neovim 0.7 keeps only code/codeDescription in user_data.lsp: rebuild the LSP diagnostic.
      local d = diagnostics[1]
      local first = {
        range = { start = { line = d.lnum, character = d.col }, ["end"] = { line = d.end_lnum, character = d.end_col } },
        message = d.message,
        severity = d.severity,
        source = d.source,
        code = d.user_data.lsp.code,
      }
      local params = {
        textDocument = vim.lsp.util.make_text_document_params(0),
        range = first.range,
        context = { diagnostics = { first } },
      }
      local responses, request_error = vim.lsp.buf_request_sync(0, "textDocument/codeAction", params, 10000)
      if not responses then error("codeAction request: " .. tostring(request_error)) end
      local chosen, client_id
      for id, response in pairs(responses or {}) do
        if response.error then error("codeAction failed: " .. vim.inspect(response.error)) end
        for _, action in ipairs(response.result or {}) do
          table.insert(result.actions, action.title)
          if action.isPreferred and action.edit and not chosen then chosen, client_id = action, id end
        end
      end
      if not chosen then error("no preferred fix among the code actions") end
      result.applied = chosen.title
      vim.lsp.util.apply_workspace_edit(chosen.edit, vim.lsp.get_client_by_id(client_id).offset_encoding)
      -- As vim.lsp.buf.code_action does: the edit first, then the action's command.
      if chosen.command then
        local done = vim.lsp.buf_request_sync(0, "workspace/executeCommand", chosen.command, 10000)
        for _, response in pairs(done or {}) do
          if response.error then error("executeCommand failed: " .. vim.inspect(response.error)) end
        end
      end
      vim.cmd("write")
      -- After the fix the server re-analyses the buffer: the finding it fixed is gone.
      local gone = vim.wait(10000, function()
        for _, d in ipairs(vim.diagnostic.get(0)) do
          if d.lnum == first.range.start.line and (d.user_data.lsp.code == first.code) then return false end
        end
        return true
      end, 50)
      result.diagnosticGone = gone
    end)
    if not ok then
      result.error = tostring(err)
      finish(1)
    else
      finish(0)
    end
  end,
})
`;
}

describe("Neovim as an LSP client (headless)", () => {
  let nvim: string;
  let workspace: { dir: string; cleanup: () => void };

  before(async () => {
    nvim = await ensureNeovim();
    workspace = copyFixture();
  });
  after(() => workspace?.cleanup());

  it("shows the seed bug's diagnostic, applies the preferred fix, and the written file type-checks", () => {
    const resultFile = path.join(workspace.dir, ".nvim-result.json");
    const init = path.join(workspace.dir, ".nvim-init.lua");
    fs.writeFileSync(init, initLua(workspace.dir, resultFile));
    const file = path.join(workspace.dir, "src", "transcription.ts");
    const run = spawnSync(nvim, ["--headless", "-n", "-i", "NONE", "-u", init, file], { cwd: workspace.dir, encoding: "utf8", timeout: 60_000 });
    const result = JSON.parse(fs.readFileSync(resultFile, "utf8")) as {
      diagnostics: { code: string; line: number; source: string }[];
      actions: string[];
      applied?: string;
      diagnosticGone?: boolean;
      error?: string;
    };
    assert.equal(result.error, undefined, `${result.error}\nactions: ${JSON.stringify(result.actions)}\n${run.stderr}`);
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(result.diagnostics.map((d) => [d.code, d.line, d.source]), [["non-atomic-write", 11, "tornwrite"], ["non-atomic-write", 20, "tornwrite"]]);
    assert.ok(result.actions.includes("Disable non-atomic-write for this line"));
    assert.equal(result.applied, "Write atomically with atomicWriteFile");
    assert.equal(result.diagnosticGone, true);
    const text = fs.readFileSync(file, "utf8");
    assert.match(text, /import \{ atomicWriteFile \} from "\.\/lib\/tornwrite-runtime\.js";/);
    assert.match(text, /await atomicWriteFile\(sidecarPath, /);
    assert.ok(fs.existsSync(path.join(workspace.dir, "src", "lib", "tornwrite-runtime.ts")), "the vendored runtime exists");
    const typed = typeCheck(workspace.dir);
    assert.equal(typed.status, 0, typed.output);
  });
});
