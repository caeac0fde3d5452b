#!/usr/bin/env bash
# Runs the built chainsaw (scripts/testbed/build.sh) over a folder of chainsaw tests against the test
# cluster (docs/testbed.md).
#
#   chainsaw.sh SUITE_DIR [chainsaw test flags...]
#
# Uses the cluster $KUBECONFIG points at; when it is unset, starts a testbed for this run and stops it
# after. Tests run in a namespace created here beforehand (chainsaw's own per-test namespaces would
# only be deleted if a namespace controller runs), deleted afterwards. Exits with chainsaw's status.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
CACHE=${PALISADE_TESTBED_CACHE:-$HOME/.cache/palisade-testbed}
BIN=${PALISADE_TESTBED_BIN:-$CACHE/bin}
SUITE=${1:?usage: chainsaw.sh SUITE_DIR [chainsaw test flags...]}
shift
[[ -d "$SUITE" ]] || {
  echo "chainsaw.sh: $SUITE is not a directory" >&2
  exit 2
}
[[ -x "$BIN/chainsaw" && -x "$BIN/kubectl" ]] || {
  echo "chainsaw.sh: $BIN/chainsaw or kubectl missing: run scripts/testbed/build.sh first" >&2
  exit 3
}

cluster_dir=""
namespace=""
finish() {
  if [[ -n "$namespace" ]]; then "$BIN/kubectl" delete namespace "$namespace" --wait=false >/dev/null 2>&1 || true; fi
  if [[ -n "$cluster_dir" ]]; then "$HERE/stop.sh" "$cluster_dir" || true; fi
}
trap finish EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if [[ -z "${KUBECONFIG:-}" ]]; then
  KUBECONFIG=$("$HERE/start.sh")
  cluster_dir=$(dirname "$KUBECONFIG")
fi
export KUBECONFIG

namespace=chainsaw-$(openssl rand -hex 3)
"$BIN/kubectl" create namespace "$namespace" >/dev/null
echo "chainsaw.sh: running $SUITE in namespace $namespace ($("$BIN/chainsaw" version 2>/dev/null | head -1))" >&2
status=0
"$BIN/chainsaw" test --test-dir "$SUITE" --namespace "$namespace" --no-color "$@" || status=$?
exit "$status"
