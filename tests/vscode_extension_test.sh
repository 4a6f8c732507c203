#!/usr/bin/env bash
# The VS Code extension (editors/vscode): type-checks and builds, passes its unit tests
# (node --test), and packages into a .vsix whose file list holds what the extension needs and
# nothing of the build (sources, tests, maps, dev dependencies). Needs no network: node_modules
# comes from scripts/install-deps.sh (npm ci). The .vsix goes to the build directory given.
# Usage: vscode_extension_test.sh SOURCE_DIR BUILD_DIR
set -euo pipefail
source_dir=$1
out_dir=$2/vscode-extension
extension="$source_dir/editors/vscode"
fail() { echo "vscode_extension_test: FAIL: $*" >&2; exit 1; }

command -v node >/dev/null || fail "node is not installed (CI has Node.js 20)"
command -v npm >/dev/null || fail "npm is not installed"
[ -d "$extension/node_modules/vscode-languageclient" ] && [ -x "$extension/node_modules/.bin/vsce" ] ||
  fail "$extension/node_modules is missing or incomplete: run 'npm ci' there (scripts/install-deps.sh does)"

cd "$extension"
rm -rf out
npm run --silent build
npm test
mkdir -p "$out_dir"
vsix="$out_dir/pkgsizer.vsix"
rm -f "$vsix"
# vsce runs the prepublish build again; --no-update-package-json and no publishing: offline.
npx --no-install vsce package --out "$vsix" >"$out_dir/vsce.log" 2>&1 || { cat "$out_dir/vsce.log" >&2; fail "vsce package"; }
[ -s "$vsix" ] || fail "no .vsix written"

files=$(python3 -c 'import sys, zipfile; print("\n".join(zipfile.ZipFile(sys.argv[1]).namelist()))' "$vsix")
for needed in extension/package.json extension/readme.md extension/LICENSE.txt \
  extension/out/src/extension.js extension/out/src/webview.js extension/out/src/format.js \
  extension/node_modules/vscode-languageclient/node.js \
  extension/node_modules/vscode-languageserver-protocol/package.json \
  extension/node_modules/vscode-jsonrpc/package.json; do
  grep -qx "$needed" <<<"$files" || fail "$needed is not in the .vsix"
done
unwanted=$(grep -E '^extension/(src/|test/|out/test/|tsconfig\.json|package-lock\.json)|\.map$|\.ts$|node_modules/(typescript|@vscode/vsce|@types|\.bin)/' <<<"$files" || true)
[ -z "$unwanted" ] || fail "the .vsix holds files it should not: $(head -5 <<<"$unwanted")"
count=$(wc -l <<<"$files")
[ "$count" -lt 400 ] || fail "the .vsix holds $count files: node_modules junk?"
# The manifest declares the command and both settings.
python3 - "$vsix" <<'PY'
import json, sys, zipfile
manifest = json.loads(zipfile.ZipFile(sys.argv[1]).read("extension/package.json"))
commands = [c["command"] for c in manifest["contributes"]["commands"]]
assert "pkgsizer.showReport" in commands, commands
settings = manifest["contributes"]["configuration"]["properties"]
assert settings["pkgsizer.path"]["default"] == "pkgsizer", settings
assert settings["pkgsizer.offline"]["default"] is False, settings
assert manifest["main"] == "./out/src/extension.js", manifest["main"]
PY
echo "vscode_extension_test: OK: $vsix ($count files)"
