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
# Usage: [ROUNDS=5] [REUSE=1] [NO_DAEMON=1] [PKGSIZER_BEFORE=OTHER_BUILD] benchmarks/bench_docker.sh WORKDIR [SOURCE_DIR...]
# Prints every round, then the medians and the speed ratios (their time / ours).
set -eu
work=${1:?usage: bench_docker.sh WORKDIR [SOURCE_DIR...]}
shift
pkgsizer=${PKGSIZER:-$(pwd)/build/pkgsizer}
[ $# -gt 0 ] || set -- "$(python3 -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')"
mkdir -p "$work/context"
ctx="$work/context"
if [ -z "${REUSE:-}" ] || [ ! -f "$work/image.tar" ]; then  # REUSE=1: the image of a previous run
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
  docker build --network none -q -t pkgsizer-bench:1 "$ctx" >/dev/null
  rm -f "$work/image.tar" && docker save -o "$work/image.tar" pkgsizer-bench:1
  rm -rf "$work/oci" && skopeo copy -q "docker-archive:$work/image.tar" "oci:$work/oci:b" >/dev/null
fi

# Runs a shell command line under /usr/bin/time and appends "LABEL wall cpu rss_kib" to the
# results: wall seconds, CPU seconds (user + system, every process of a pipeline), peak RSS KiB
# (of the largest process).
results="$work/results.txt"
: > "$results"
measure() {
  /usr/bin/time -f "%e %U %S %M" -o "$work/time" sh -c "$2" >/dev/null 2>&1 || echo "  FAILED: $1" >&2
  awk -v label="$1" '{ printf "%s %s %.2f %d\n", label, $1, $2 + $3, $4 }' "$work/time" >> "$results"
  awk -v label="$1" '{ printf "  %-34s %6.2f s  cpu %6.2f s  %7d KiB\n", label, $1, $2 + $3, $4 }' "$work/time"
}
size=$(du -b "$work/image.tar" | cut -f1)
oci_size=$(du -sb "$work/oci" | cut -f1)
echo "image: $(( size / 1000000 )) MB docker save tar, $(( oci_size / 1000000 )) MB gzip OCI layout"
# `tar -tvf image.tar` lists the outer tar only (it skips over each layer.tar's bytes); listing
# every layer.tar in it too (tar -xOf | tar -tv) is what reading the image's files takes.
tar_all="tar -tvf '$work/image.tar' >/dev/null; for l in \$(tar -tf '$work/image.tar' | grep 'layer.tar\$'); do tar -xOf '$work/image.tar' \$l | tar -tv >/dev/null; done"
gzip_all="for b in '$work'/oci/blobs/sha256/*; do if [ \"\$(head -c2 \$b | od -An -tx1 | tr -d ' ')\" = 1f8b ]; then gzip -dc \$b | tar -t >/dev/null; fi; done"
# PKGSIZER_BEFORE: another build, measured in the same rounds (a before/after comparison).
before=${PKGSIZER_BEFORE:-}
rounds=${ROUNDS:-5}
round=0
while [ "$round" -lt "$rounds" ]; do
  round=$((round + 1))
  echo "round $round:"
  measure tar "'$pkgsizer' docker '$work/image.tar'"
  [ -z "$before" ] || measure tar-before "'$before' docker '$work/image.tar'"
  measure tar-tvf "tar -tvf '$work/image.tar'"
  measure tar-tvf-all "$tar_all"
  measure oci "'$pkgsizer' docker 'oci:$work/oci:b'"
  [ -z "$before" ] || measure oci-before "'$before' docker 'oci:$work/oci:b'"
  measure gzip-all "$gzip_all"
  if [ -z "${NO_DAEMON:-}" ]; then
    # Both make dockerd build the tarball from its layer store; the first to ask in a round may
    # find that store colder, so the two take turns going first.
    socket="'$pkgsizer' docker pkgsizer-bench:1"
    save="docker save -o '$work/again.tar' pkgsizer-bench:1 && '$pkgsizer' docker '$work/again.tar'"
    if [ $((round % 2)) -eq 1 ]; then
      measure socket "$socket"
      measure save-then-file "$save"
    else
      measure save-then-file "$save"
      measure socket "$socket"
    fi
  fi
done
# Medians per command, and the ratios the targets are about (speed = 1 / time).
python3 - "$results" <<'PY'
import statistics, sys
rows = {}
for line in open(sys.argv[1]):
    label, wall, cpu, rss = line.split()
    rows.setdefault(label, []).append((float(wall), float(cpu), int(rss)))
med = {k: [statistics.median(x[i] for x in v) for i in range(3)] for k, v in rows.items()}
print("\nmedians (%d rounds):" % max(len(v) for v in rows.values()))
for k, (wall, cpu, rss) in med.items():
    print(f"  {k:16} wall {wall:6.2f} s  cpu {cpu:6.2f} s  peak RSS {rss / 1024:6.1f} MiB")
def ratio(name, ours, theirs):
    if ours in med and theirs in med:
        print(f"  {name}: speed ratio wall {med[theirs][0] / med[ours][0]:.2f}x, cpu {med[theirs][1] / med[ours][1]:.2f}x")
print("ratios (their time / ours: >= 0.8 meets the target):")
ratio("docker save vs tar -tvf + every layer", "tar", "tar-tvf-all")
ratio("docker save, before vs tar -tvf + every layer", "tar-before", "tar-tvf-all")
ratio("OCI gzip vs gzip -dc | tar -t", "oci", "gzip-all")
ratio("OCI gzip, before vs gzip -dc | tar -t", "oci-before", "gzip-all")
ratio("socket vs docker save -o + file", "socket", "save-then-file")
PY
