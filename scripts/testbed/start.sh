#!/usr/bin/env bash
# Starts a throwaway Kubernetes control plane on 127.0.0.1 (docs/testbed.md): etcd, kube-apiserver and
# kube-controller-manager from scripts/testbed/build.sh, a fresh PKI made with openssl, free loopback
# ports, everything in one temp dir. Prints the kubeconfig's path on stdout once /readyz answers.
#
#   start.sh [--dir DIR] [--foreground]
#
# Default: the processes keep running after this script exits; stop them with `stop.sh DIR` (DIR is the
# kubeconfig's folder). --foreground (used by test/support/testbed.ts): stay attached and stop the
# cluster when stdin reaches EOF (the parent died or closed it) or on a signal, so nothing outlives
# the test process.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
CACHE=${PALISADE_TESTBED_CACHE:-$HOME/.cache/palisade-testbed}
BIN=${PALISADE_TESTBED_BIN:-$CACHE/bin}
DIR=""
FOREGROUND=0
while (($# > 0)); do
  case $1 in
  --dir) DIR=$2 && shift 2 ;;
  --foreground) FOREGROUND=1 && shift ;;
  *) echo "usage: start.sh [--dir DIR] [--foreground]" >&2 && exit 2 ;;
  esac
done

log() { printf '[testbed %s] %s\n' "$(date +%H:%M:%S.%3N)" "$*" >&2; }

for b in etcd kube-apiserver kube-controller-manager; do
  [[ -x "$BIN/$b" ]] || {
    log "$BIN/$b is missing: run scripts/testbed/build.sh first"
    exit 3
  }
done

if [[ -z "$DIR" ]]; then DIR=$(mktemp -d "${TMPDIR:-/tmp}/palisade-testbed.XXXXXX"); fi
mkdir -p "$DIR/pki" "$DIR/logs"
DIR=$(cd "$DIR" && pwd)
: >"$DIR/pids"

# From here on, a failure (or, in the foreground, EOF/signal) stops whatever was started.
cleanup() {
  trap - EXIT INT TERM HUP
  "$HERE/stop.sh" "$DIR" >&2 || true
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

# A free loopback port: nothing accepts a connection on it, and it was not handed out already here.
declare -A TAKEN=()
free_port() {
  local p
  while :; do
    p=$((20000 + RANDOM % 40000))
    [[ -z "${TAKEN[$p]:-}" ]] || continue
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
      TAKEN[$p]=1
      echo "$p"
      return
    fi
  done
}

# --- PKI: one CA signs the API server's serving cert, the CSR signer uses it too; EC keys are instant.
pki=$DIR/pki
ossl() { openssl "$@" 2>>"$DIR/logs/openssl.log"; }
ec_key() { ossl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1"; }
ec_key "$pki/ca.key"
ossl req -x509 -new -key "$pki/ca.key" -out "$pki/ca.crt" -days 2 -subj "/CN=palisade-testbed-ca" \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign,digitalSignature"
ec_key "$pki/apiserver.key"
ossl req -new -key "$pki/apiserver.key" -subj "/CN=kube-apiserver" -out "$pki/apiserver.csr"
ossl x509 -req -in "$pki/apiserver.csr" -CA "$pki/ca.crt" -CAkey "$pki/ca.key" -CAcreateserial -days 2 \
  -out "$pki/apiserver.crt" -extfile <(printf '%s\n' \
    "subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc" \
    "keyUsage=critical,digitalSignature,keyEncipherment" "extendedKeyUsage=serverAuth")
ec_key "$pki/sa.key"
ossl pkey -in "$pki/sa.key" -pubout -out "$pki/sa.pub"
# Bearer tokens (the API server's token file: token,user,uid,"groups"). Both are cluster admins.
ADMIN_TOKEN=$(openssl rand -hex 24)
KCM_TOKEN=$(openssl rand -hex 24)
printf '%s,%s,%s,"%s"\n' "$ADMIN_TOKEN" palisade-admin palisade-admin system:masters \
  "$KCM_TOKEN" system:kube-controller-manager system:kube-controller-manager system:masters >"$pki/tokens.csv"
chmod 600 "$pki"/*.key "$pki/tokens.csv"

# Ports are chosen here and bound later by etcd and the API server; a cluster started at the same time
# by another test can take one in between. Such a start is retried on fresh ports (pick_ports again).
pick_ports() {
  ETCD_PORT=$(free_port)
  ETCD_PEER_PORT=$(free_port)
  API_PORT=$(free_port)
  SERVER=https://127.0.0.1:$API_PORT
}
pick_ports

kubeconfig() { # kubeconfig USER TOKEN
  cat <<EOF
apiVersion: v1
kind: Config
clusters:
- name: testbed
  cluster:
    server: $SERVER
    certificate-authority: $pki/ca.crt
users:
- name: $1
  user:
    token: $2
contexts:
- name: testbed
  context:
    cluster: testbed
    user: $1
    namespace: default
current-context: testbed
EOF
}
write_kubeconfigs() {
  kubeconfig palisade-admin "$ADMIN_TOKEN" >"$DIR/kubeconfig"
  kubeconfig system:kube-controller-manager "$KCM_TOKEN" >"$DIR/kcm.kubeconfig"
  chmod 600 "$DIR/kubeconfig" "$DIR/kcm.kubeconfig"
}

# start NAME BINARY ARGS...: run in the background, log to logs/NAME.log, remember the pid.
start() {
  local name=$1
  shift
  "$@" </dev/null >"$DIR/logs/$name.log" 2>&1 &
  echo "$! $name" >>"$DIR/pids"
}
# wait_for NAME SECONDS CMD...: poll CMD until it succeeds; status 1 if the process died or time ran out.
wait_for() {
  local name=$1 secs=$2 pid
  shift 2
  pid=$(awk -v n="$name" '$2 == n { print $1 }' "$DIR/pids")
  local deadline=$((SECONDS + secs))
  until "$@" >/dev/null 2>&1; do
    if ! kill -0 "$pid" 2>/dev/null || ((SECONDS > deadline)); then return 1; fi
    sleep 0.1
  done
}
# not_ready NAME: say why NAME did not start, and fail.
not_ready() {
  log "$1 did not become ready; last lines of $DIR/logs/$1.log:"
  tail -n 30 "$DIR/logs/$1.log" >&2
  exit 1
}
# lost_port NAME: NAME's log says another process bound one of its ports first.
lost_port() { grep -q 'address already in use' "$DIR/logs/$1.log" 2>/dev/null; }
# Ends the processes of a failed attempt so the next one starts clean.
stop_attempt() {
  "$HERE/stop.sh" "$DIR" --keep >/dev/null 2>&1 || true
  : >"$DIR/pids"
  rm -rf "$DIR/etcd" "$DIR/apiserver-certs"
}

t0=$(date +%s%N)
for attempt in 1 2 3 4 5; do
  write_kubeconfigs
  log "starting in $DIR (etcd :$ETCD_PORT, kube-apiserver :$API_PORT)"
  start etcd "$BIN/etcd" --name testbed --data-dir "$DIR/etcd" \
    --listen-client-urls "http://127.0.0.1:$ETCD_PORT" --advertise-client-urls "http://127.0.0.1:$ETCD_PORT" \
    --listen-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" \
    --initial-advertise-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" \
    --initial-cluster "testbed=http://127.0.0.1:$ETCD_PEER_PORT" \
    --unsafe-no-fsync --log-level warn
  if wait_for etcd 20 curl -sf --max-time 2 "http://127.0.0.1:$ETCD_PORT/health"; then
    # --allow-privileged: the policy library's tests create privileged Pods for their policies to judge.
    # PodTemplates bypass the watch cache, so a watch from a compacted etcd revision gets a real
    # 410 Gone (the reflector's test); the cache would replay its in-memory window instead.
    start kube-apiserver "$BIN/kube-apiserver" \
      --etcd-servers "http://127.0.0.1:$ETCD_PORT" \
      --bind-address 127.0.0.1 --advertise-address 127.0.0.1 --secure-port "$API_PORT" \
      --endpoint-reconciler-type none \
      --tls-cert-file "$pki/apiserver.crt" --tls-private-key-file "$pki/apiserver.key" \
      --client-ca-file "$pki/ca.crt" --token-auth-file "$pki/tokens.csv" \
      --service-account-issuer https://kubernetes.default.svc.cluster.local \
      --service-account-key-file "$pki/sa.pub" --service-account-signing-key-file "$pki/sa.key" \
      --authorization-mode RBAC --service-cluster-ip-range 10.96.0.0/16 \
      --allow-privileged=true --cert-dir "$DIR/apiserver-certs" --profiling=false \
      --watch-cache-sizes podtemplates#0
    if wait_for kube-apiserver 90 curl -sf --max-time 2 --cacert "$pki/ca.crt" -H "Authorization: Bearer $ADMIN_TOKEN" "$SERVER/readyz"; then
      break
    fi
    failed=kube-apiserver
  else
    failed=etcd
  fi
  if ((attempt == 5)) || ! { lost_port etcd || lost_port kube-apiserver; }; then not_ready "$failed"; fi
  log "a port was taken by another process (attempt $attempt); retrying on fresh ports"
  stop_attempt
  pick_ports
done

# Namespaces get their `default` ServiceAccount and finish deleting only with these controllers; the
# protection controllers take the finalizers the API server puts on PersistentVolumes and claims off
# again (without them those never finish deleting); the token controller fills the Secrets of type
# kubernetes.io/service-account-token that suites make to act as a ServiceAccount; the aggregation
# controller fills the aggregated ClusterRoles (view, edit, admin), which the chart binds for scans.
start kube-controller-manager "$BIN/kube-controller-manager" \
  --kubeconfig "$DIR/kcm.kubeconfig" \
  --controllers namespace-controller,serviceaccount-controller,serviceaccount-token-controller,garbage-collector-controller,certificatesigningrequest-signing-controller,persistentvolume-protection-controller,persistentvolumeclaim-protection-controller,clusterrole-aggregation-controller \
  --service-account-private-key-file "$pki/sa.key" \
  --cluster-signing-cert-file "$pki/ca.crt" --cluster-signing-key-file "$pki/ca.key" \
  --root-ca-file "$pki/ca.crt" --secure-port 0 --leader-elect=false
log "ready in $((($(date +%s%N) - t0) / 1000000)) ms: $SERVER"

# For scripts: `. DIR/env`.
cat >"$DIR/env" <<EOF
export KUBECONFIG=$DIR/kubeconfig
export TESTBED_DIR=$DIR
export TESTBED_SERVER=$SERVER
export TESTBED_CA=$pki/ca.crt
export TESTBED_TOKEN=$ADMIN_TOKEN
export TESTBED_ETCD=http://127.0.0.1:$ETCD_PORT
EOF
echo "$DIR/kubeconfig"

if ((FOREGROUND)); then
  # Until stdin closes; the EXIT trap then stops everything. `read` returns on a trapped signal too.
  while read -r _; do :; done
  exit 0
fi
trap - EXIT
