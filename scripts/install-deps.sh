#!/usr/bin/env bash
# Installs what building and testing pkgsizer needs on Debian 12, from Debian's archive only.
# Run as root (or with sudo). Safe to run again.
set -euo pipefail
packages=(
  build-essential cmake ninja-build pkg-config
  libcli11-dev nlohmann-json3-dev libfmt-dev libtomlplusplus-dev libsqlite3-dev
  libcurl4-openssl-dev nettle-dev libgumbo-dev zlib1g-dev libtbb-dev libcereal-dev catch2
  libelf-dev  # recommend: ELF section tables of shared libraries
  python3 python3-venv python3-pip python3-jwt python3-pygments python3-yaml
  git pre-commit
  clang-format-14 clang-tidy-14  # scripts/lint.sh
  postgresql libpq-dev  # a PostgreSQL history: libpq's headers, and the server the tests start
  patchelf dpkg-dev man-db groff-base zsh fish  # the wheel, cpack -G DEB, man page, completions
  chromium  # the HTML report's browser tests (tests/e2e/test_html_report.py)
  libncurses-dev tmux  # pkgsizer browse, and its tests in a real terminal (test_browse.py)
  libarchive-dev  # pkgsizer docker: image layers
  libcpp-httplib-dev  # pkgsizer serve: the dashboard's HTTP server
  docker.io skopeo docker-registry busybox-static  # tests/e2e/test_docker.py: a real dockerd, registry
  neovim  # pkgsizer lsp: its built-in LSP client in tests/e2e/test_lsp.py
  podman  # tests/e2e/test_docker.py: the same image through podman's Engine API socket
)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# The VS Code extension's build tools (tests/vscode_extension_test.sh): npm ci when npm is
# there (Node.js 20 / npm 11 do not come from Debian) and node_modules is older than the lock
# file. npm leaves .package-lock.json in node_modules after every install: quick when current.
extension=$(cd "$(dirname "$0")/.." && pwd)/editors/vscode
if command -v npm >/dev/null && [ -f "$extension/package-lock.json" ]; then
  if [ ! -f "$extension/node_modules/.package-lock.json" ] ||
    [ "$extension/package-lock.json" -nt "$extension/node_modules/.package-lock.json" ]; then
    (cd "$extension" && npm ci --no-audit --no-fund)
  fi
fi
