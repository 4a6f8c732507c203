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
