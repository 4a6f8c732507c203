#!/usr/bin/env bash
# The .deb in a real, fresh Debian 12 root: debootstrap (needs the Debian mirror, so it is run
# by hand, not by the test suite: docs/install.md records the result), then `dpkg -i`, which
# must stop on the missing Depends:, `apt-get -f install` bringing exactly those, and
# `pkgsizer --version` and a scan inside the root. As root:
#   cd build && cpack -G DEB && cd .. && scripts/check-deb-debootstrap.sh build/pkgsizer_*.deb
set -euo pipefail
deb=$(realpath "$1")
root=${2:-/var/tmp/pkgsizer-debootstrap-bookworm}
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
if [ ! -x "$root/usr/bin/apt-get" ]; then
  debootstrap --variant=minbase bookworm "$root" "$mirror"
fi
cp "$deb" "$root/tmp/pkgsizer.deb"
echo "== dpkg -i in the fresh root (must refuse: the libraries are not there yet)"
if chroot "$root" dpkg -i /tmp/pkgsizer.deb; then
  echo "dpkg -i succeeded without its dependencies: is Depends: empty?" >&2
  exit 1
fi
echo "== apt-get -f install (brings the Depends: from the mirror)"
chroot "$root" apt-get update -qq
chroot "$root" env DEBIAN_FRONTEND=noninteractive apt-get -f install -y --no-install-recommends
chroot "$root" dpkg -s pkgsizer | grep -E '^(Status|Depends|Recommends):'
echo "== pkgsizer in the root"
chroot "$root" pkgsizer --version
mkdir -p "$root/tmp/site/demo" "$root/tmp/site/demo-1.0.dist-info"
head -c 5000 /dev/zero > "$root/tmp/site/demo/__init__.py"
printf 'Metadata-Version: 2.1\nName: demo\nVersion: 1.0\n' > "$root/tmp/site/demo-1.0.dist-info/METADATA"
printf 'demo/__init__.py,,\ndemo-1.0.dist-info/METADATA,,\ndemo-1.0.dist-info/RECORD,,\n' \
  > "$root/tmp/site/demo-1.0.dist-info/RECORD"
chroot "$root" pkgsizer scan-env --site-packages /tmp/site --no-cache
chroot "$root" ls -l /usr/share/man/man1/pkgsizer.1 /usr/share/bash-completion/completions/pkgsizer
echo "== ok: $root"
