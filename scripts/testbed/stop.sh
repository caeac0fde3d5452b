#!/usr/bin/env bash
# Stops a cluster started by scripts/testbed/start.sh and removes its dir (keeps it with --keep).
#
#   stop.sh DIR [--keep]
#
# DIR is the folder of the kubeconfig start.sh printed. Only the pids start.sh recorded there are
# signalled, and only while their command line still names DIR (a recycled pid is left alone). They
# stop in reverse start order, each TERM then KILL after 10 s: the API server shuts down in ~1 s with
# etcd still up, but hangs for seconds when etcd goes first.
set -euo pipefail

DIR=${1:?usage: stop.sh DIR [--keep]}
KEEP=${2:-}
[[ -f "$DIR/pids" ]] || {
  echo "stop.sh: $DIR/pids not found (not a testbed dir?)" >&2
  exit 1
}

# Running, started for DIR, and not a zombie (exited, waiting for its parent to reap it).
ours() {
  [[ -r "/proc/$1/cmdline" ]] && tr '\0' ' ' <"/proc/$1/cmdline" | grep -qF "$DIR" &&
    ! grep -q ') Z' "/proc/$1/stat" 2>/dev/null
}
for pid in $(tac "$DIR/pids" | awk '{ print $1 }'); do
  ours "$pid" || continue
  kill -TERM "$pid" 2>/dev/null || continue
  for _ in $(seq 200); do
    ours "$pid" || break
    sleep 0.05
  done
  if ours "$pid"; then kill -KILL "$pid" 2>/dev/null || true; fi
done
: >"$DIR/pids"
if [[ "$KEEP" != --keep ]]; then rm -rf "$DIR"; fi
