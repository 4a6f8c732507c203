#!/bin/sh
# pkgsizer docker against the tools that only list the same bytes, side by side in one run:
#   a docker save tarball:   pkgsizer docker FILE.tar     vs  tar -tvf FILE.tar (and each layer.tar in it)
#   a gzip'd OCI layout:     pkgsizer docker oci:DIR      vs  gzip -dc BLOB | tar -t, for every layer
#   the daemon's socket:     pkgsizer docker NAME         vs  docker save -o F NAME + pkgsizer docker F
# with peak RSS (/usr/bin/time). Needs a running dockerd (DOCKER_HOST), skopeo, and
# PKGSIZER (default build/pkgsizer). The image: FROM scratch, COPY layers of real installed
# site-packages trees (SOURCE_DIRs, default this interpreter's purelib), each COPY'd three times
# (to /usr/local, to /opt/venv and to /opt/app), then busybox deletes /opt/venv (whiteouts: that
# copy is waste, still shipped). With this machine's pyenv site-packages (383 MB): a ~1.15 GB tar.
# Usage: benchmarks/bench_docker.sh WORKDIR [SOURCE_DIR...]
set -eu
work=${1:?usage: bench_docker.sh WORKDIR [SOURCE_DIR...]}
shift
pkgsizer=${PKGSIZER:-$(pwd)/build/pkgsizer}
[ $# -gt 0 ] || set -- "$(python3 -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')"
mkdir -p "$work/context"
ctx="$work/context"
: > "$ctx/Dockerfile"
echo "FROM scratch" >> "$ctx/Dockerfile"
mkdir -p "$ctx/bin" && cp /bin/busybox "$ctx/bin/busybox"
echo "COPY bin/ /bin/" >> "$ctx/Dockerfile"
i=0
for source in "$@"; do
  i=$((i + 1))
  rm -rf "$ctx/site$i" && cp -a "$source" "$ctx/site$i"
  echo "COPY site$i/ /usr/local/lib/python3.11/site-packages/" >> "$ctx/Dockerfile"
  echo "COPY site$i/ /opt/venv/lib/python3.11/site-packages/" >> "$ctx/Dockerfile"
  echo "COPY site$i/ /opt/app/lib/python3.11/site-packages/" >> "$ctx/Dockerfile"
done
echo 'RUN ["/bin/busybox", "rm", "-rf", "/opt/venv"]' >> "$ctx/Dockerfile"
if [ -z "${REUSE:-}" ] || [ ! -f "$work/image.tar" ]; then  # REUSE=1: the image of a previous run
  docker build --network none -q -t pkgsizer-bench:1 "$ctx" >/dev/null
  rm -f "$work/image.tar" && docker save -o "$work/image.tar" pkgsizer-bench:1
  rm -rf "$work/oci" && skopeo copy -q "docker-archive:$work/image.tar" "oci:$work/oci:b" >/dev/null
fi

# Runs a shell command line under /usr/bin/time: wall seconds, CPU seconds (user + system, all
# processes of the pipeline), peak RSS KiB (of the largest process).
measure() {
  /usr/bin/time -f "%e %U %S %M" -o "$work/time" sh -c "$1" >/dev/null 2>&1
  awk '{ printf "%6.2f s  cpu %6.2f s  %7d KiB\n", $1, $2 + $3, $4 }' "$work/time"
}
size=$(du -b "$work/image.tar" | cut -f1)
oci_size=$(du -sb "$work/oci" | cut -f1)
echo "image: $(( size / 1000000 )) MB docker save tar, $(( oci_size / 1000000 )) MB gzip OCI layout"
# `tar -tvf image.tar` lists the outer tar only (it skips over each layer.tar's bytes); listing
# every layer.tar in it too (tar -xOf | tar -tv) is what reading the image's files takes.
tar_all="tar -tvf '$work/image.tar' >/dev/null; for l in \$(tar -tf '$work/image.tar' | grep 'layer.tar\$'); do tar -xOf '$work/image.tar' \$l | tar -tv >/dev/null; done"
gzip_all="for b in '$work'/oci/blobs/sha256/*; do if [ \"\$(head -c2 \$b | od -An -tx1 | tr -d ' ')\" = 1f8b ]; then gzip -dc \$b | tar -t >/dev/null; fi; done"
for round in 1 2 3; do
  echo "round $round:"
  echo "  pkgsizer docker image.tar       $(measure "'$pkgsizer' docker '$work/image.tar'")"
  echo "  tar -tvf image.tar              $(measure "tar -tvf '$work/image.tar'")"
  echo "  tar -tvf, and every layer.tar   $(measure "$tar_all")"
  echo "  pkgsizer docker oci:DIR         $(measure "'$pkgsizer' docker 'oci:$work/oci:b'")"
  echo "  gzip -dc | tar -t, every layer  $(measure "$gzip_all")"
  echo "  pkgsizer docker NAME (socket)   $(measure "'$pkgsizer' docker pkgsizer-bench:1")"
  echo "  docker save -o, then pkgsizer   $(measure "docker save -o '$work/again.tar' pkgsizer-bench:1 && '$pkgsizer' docker '$work/again.tar'")"
done
