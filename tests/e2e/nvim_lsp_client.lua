-- Neovim's built-in LSP client (0.7: start_client + buf_attach_client) against `pkgsizer lsp`,
-- headless, for tests/e2e/test_lsp.py: opens $LSP_DOCUMENT, waits for the diagnostics, asks for
-- a hover at $LSP_LINE:$LSP_CHARACTER, stops the client and writes what it saw to $LSP_OUT as
-- JSON. Every wait is bounded; the script always quits.
local out = { diagnostics = {}, hover = vim.NIL, exit_code = vim.NIL, errors = {} }
local function finish()
  local file = io.open(os.getenv("LSP_OUT"), "w")
  file:write(vim.fn.json_encode(out))
  file:close()
  vim.cmd("qa!")
end
local ok, err = pcall(function()
  vim.cmd("edit " .. vim.fn.fnameescape(os.getenv("LSP_DOCUMENT")))
  local bufnr = vim.api.nvim_get_current_buf()
  local client_id = vim.lsp.start_client({
    name = "pkgsizer",
    cmd = { os.getenv("PKGSIZER_BIN"), "lsp", "--offline" },
    root_dir = os.getenv("LSP_ROOT"),
    on_exit = function(code) out.exit_code = code end,
  })
  vim.lsp.buf_attach_client(bufnr, client_id)
  local wanted = os.getenv("LSP_WAIT_CODE")
  local function code_of(d)
    return d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code)
  end
  vim.wait(60000, function()
    for _, d in ipairs(vim.diagnostic.get(bufnr)) do
      if code_of(d) == wanted then return true end
    end
    return false
  end, 50)
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    table.insert(out.diagnostics, { line = d.lnum, col = d.col, severity = d.severity,
                                    code = code_of(d), message = d.message })
  end
  local params = { textDocument = { uri = vim.uri_from_bufnr(bufnr) },
                   position = { line = tonumber(os.getenv("LSP_LINE")),
                                character = tonumber(os.getenv("LSP_CHARACTER")) } }
  local responses = vim.lsp.buf_request_sync(bufnr, "textDocument/hover", params, 20000)
  for _, response in pairs(responses or {}) do
    if response.result then out.hover = response.result.contents.value end
    if response.err then table.insert(out.errors, vim.inspect(response.err)) end
  end
  vim.lsp.stop_client(client_id)
  vim.wait(20000, function() return out.exit_code ~= vim.NIL end, 50)
end)
if not ok then table.insert(out.errors, tostring(err)) end
finish()
