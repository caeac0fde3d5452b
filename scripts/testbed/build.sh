#!/usr/bin/env bash
# Builds the test cluster's binaries from Go modules (docs/testbed.md): kube-apiserver,
# kube-controller-manager and kubectl from k8s.io/kubernetes, etcd from go.etcd.io/etcd/server/v3,
# chainsaw, and helm (renders and lints the chart in deploy/helm: `npm run manifests`). Everything
# goes to a cache dir outside the repository; a component whose stamp (its pinned version) and
# binaries are already there is skipped, so a rerun costs nothing. `build.sh helm` builds only the
# components named (etcd, chainsaw, kubernetes, helm); no argument builds them all.
# The wrapper modules are generated here: no Go code of kubernetes lives in this repository.
set -euo pipefail

KUBE_VERSION=v1.37.2
# kubernetes' staging modules (k8s.io/api, k8s.io/client-go, ...) are published as v0.<minor>.<patch>.
STAGING_VERSION=v0.${KUBE_VERSION#v1.}
ETCD_VERSION=v3.7.0 # what k8s.io/kubernetes v1.37.2 requires
CHAINSAW_VERSION=v0.2.12
HELM_VERSION=v4.3.2 # built on the same k8s.io modules (v0.37.2) as the cluster

# No symbol table or DWARF: the linker, the slowest and most memory-hungry step, does less.
LDFLAGS="-s -w"

CACHE=${PALISADE_TESTBED_CACHE:-$HOME/.cache/palisade-testbed}
BIN=$CACHE/bin
mkdir -p "$BIN" "$CACHE/src"
# -mod=mod: the wrapper modules are resolved and tidied here, never vendored (added to the flags the
# Go configuration already has, which an exported GOFLAGS would otherwise replace).
goflags=$(go env GOFLAGS)
export GOFLAGS="${goflags:+$goflags }-mod=mod"

log() { printf '[testbed build %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

# One build at a time per cache (two CI jobs, or a test and a shell).
if command -v flock >/dev/null; then
  exec 9>"$CACHE/.lock"
  flock 9
fi

# fresh NAME STAMP BINARY...: true when NAME was built with STAMP and all its binaries exist.
fresh() {
  local name=$1 stamp=$2
  shift 2
  [[ -f "$BIN/.stamp-$name" && "$(cat "$BIN/.stamp-$name")" == "$stamp" ]] || return 1
  local b
  for b in "$@"; do [[ -x "$BIN/$b" ]] || return 1; done
}

# module_field FIELD MODULE@VERSION: a field (GoMod, Dir) of `go mod download -json` for a module.
module_field() {
  local field=$1 mod=$2
  (cd "$CACHE" && go mod download -json "$mod") | sed -n "s/^[[:space:]]*\"$field\": \"\(.*\)\",\{0,1\}$/\1/p"
}

# new_wrapper DIR MODULE: an empty module at DIR (recreated, so a stale go.sum never lingers).
new_wrapper() {
  rm -rf "$1"
  mkdir -p "$1"
  (cd "$1" && go mod init "$2" >/dev/null 2>&1)
}

build_kubernetes() {
  local stamp="kubernetes $KUBE_VERSION staging $STAGING_VERSION ldflags $LDFLAGS"
  if fresh kubernetes "$stamp" kube-apiserver kube-controller-manager kubectl; then
    log "kubernetes $KUBE_VERSION: up to date"
    return
  fi
  local dir=$CACHE/src/kube-wrapper
  log "kubernetes $KUBE_VERSION: generating the wrapper module in $dir"
  new_wrapper "$dir" palisade.testbed/kube
  local gomod
  gomod=$(cd "$CACHE" && go list -m -f '{{.GoMod}}' "k8s.io/kubernetes@$KUBE_VERSION")
  # The staging modules are the ones kubernetes' own go.mod maps to ./staging/src/k8s.io/X.
  local staging
  staging=$(sed -n 's|^[[:space:]]*\(k8s\.io/[^[:space:]]*\)[[:space:]]*=>[[:space:]]*\./staging/src/k8s\.io/.*|\1|p' "$gomod")
  [[ -n "$staging" ]] || {
    log "no staging modules found in $gomod"
    exit 1
  }
  log "kubernetes $KUBE_VERSION: $(wc -w <<<"$staging") staging modules pinned to $STAGING_VERSION"
  local edits=(-require="k8s.io/kubernetes@$KUBE_VERSION")
  local m
  for m in $staging; do edits+=(-replace="$m=$m@$STAGING_VERSION"); done
  for m in kube-apiserver kube-controller-manager kubectl; do edits+=(-tool="k8s.io/kubernetes/cmd/$m"); done
  # kubernetes' own godebug settings (e.g. default=go1.26) apply to the binaries it ships.
  while read -r _ setting; do edits+=(-godebug="$setting"); done < <(grep '^godebug ' "$gomod" || true)
  (cd "$dir" && go mod edit "${edits[@]}")
  log "kubernetes $KUBE_VERSION: go mod tidy (downloads a few hundred MB of modules on a cold cache)"
  (cd "$dir" && go mod tidy)
  log "kubernetes $KUBE_VERSION: go build (most of a cold build: ~15 CPU-min, up to ~3 GB of memory while linking)"
  local v=${KUBE_VERSION#v} out=$dir/bin
  local ldflags="$LDFLAGS -X k8s.io/component-base/version.gitVersion=$KUBE_VERSION"
  ldflags+=" -X k8s.io/component-base/version.gitMajor=${v%%.*}"
  ldflags+=" -X k8s.io/component-base/version.gitMinor=$(cut -d. -f2 <<<"$v")"
  ldflags+=" -X k8s.io/component-base/version.gitTreeState=clean"
  ldflags+=" -X k8s.io/client-go/pkg/version.gitVersion=$KUBE_VERSION"
  (cd "$dir" && go build -trimpath -o "$out/" -ldflags "$ldflags" \
    k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kube-controller-manager \
    k8s.io/kubernetes/cmd/kubectl)
  mv -f "$out/kube-apiserver" "$out/kube-controller-manager" "$out/kubectl" "$BIN/"
  echo "$stamp" >"$BIN/.stamp-kubernetes"
  log "kubernetes $KUBE_VERSION: built kube-apiserver, kube-controller-manager, kubectl"
}

build_etcd() {
  local stamp="etcd $ETCD_VERSION ldflags $LDFLAGS"
  if fresh etcd "$stamp" etcd; then
    log "etcd $ETCD_VERSION: up to date"
    return
  fi
  local dir=$CACHE/src/etcd-wrapper
  log "etcd $ETCD_VERSION: generating the wrapper module in $dir"
  new_wrapper "$dir" palisade.testbed/etcd
  # etcd's main package is the server module's root.
  (cd "$dir" && go mod edit -require="go.etcd.io/etcd/server/v3@$ETCD_VERSION" -tool=go.etcd.io/etcd/server/v3)
  (cd "$dir" && go mod tidy)
  log "etcd $ETCD_VERSION: go build"
  (cd "$dir" && go build -trimpath -ldflags "$LDFLAGS" -o "$dir/bin/etcd" go.etcd.io/etcd/server/v3)
  mv -f "$dir/bin/etcd" "$BIN/etcd"
  echo "$stamp" >"$BIN/.stamp-etcd"
  log "etcd $ETCD_VERSION: built"
}

build_chainsaw() {
  local stamp="chainsaw $CHAINSAW_VERSION +ModulePath ldflags $LDFLAGS"
  if fresh chainsaw "$stamp" chainsaw; then
    log "chainsaw $CHAINSAW_VERSION: up to date"
    return
  fi
  # chainsaw drives `testing.MainStart` with its own test deps, which lack the ModulePath method
  # that Go 1.26's testing package requires: build a local copy with that method added.
  local src=$CACHE/src/chainsaw-$CHAINSAW_VERSION dir=$CACHE/src/chainsaw-wrapper
  log "chainsaw $CHAINSAW_VERSION: copying the module to $src and adding TestDeps.ModulePath"
  local orig
  orig=$(module_field Dir "github.com/kyverno/chainsaw@$CHAINSAW_VERSION")
  [[ -d "$orig" ]] || {
    log "could not download github.com/kyverno/chainsaw@$CHAINSAW_VERSION"
    exit 1
  }
  rm -rf "$src"
  cp -R "$orig" "$src"
  chmod -R u+w "$src"
  local deps=$src/pkg/runner/internal/test_deps.go
  if ! grep -q 'ModulePath()' "$deps"; then
    printf '\n// ModulePath is required by the testing package of newer Go releases (added by palisade testbed).\nfunc (*TestDeps) ModulePath() string {\n\treturn ""\n}\n' >>"$deps"
  fi
  new_wrapper "$dir" palisade.testbed/chainsaw
  (cd "$dir" && go mod edit -require="github.com/kyverno/chainsaw@$CHAINSAW_VERSION" \
    -replace="github.com/kyverno/chainsaw=$src" -tool=github.com/kyverno/chainsaw)
  (cd "$dir" && go mod tidy)
  log "chainsaw $CHAINSAW_VERSION: go build"
  (cd "$dir" && go build -trimpath -o "$dir/bin/chainsaw" \
    -ldflags "$LDFLAGS -X github.com/kyverno/chainsaw/pkg/version.BuildVersion=$CHAINSAW_VERSION" github.com/kyverno/chainsaw)
  mv -f "$dir/bin/chainsaw" "$BIN/chainsaw"
  echo "$stamp" >"$BIN/.stamp-chainsaw"
  log "chainsaw $CHAINSAW_VERSION: built"
}

build_helm() {
  local stamp="helm $HELM_VERSION ldflags $LDFLAGS"
  if fresh helm "$stamp" helm; then
    log "helm $HELM_VERSION: up to date"
    return
  fi
  local dir=$CACHE/src/helm-wrapper
  log "helm $HELM_VERSION: generating the wrapper module in $dir"
  new_wrapper "$dir" palisade.testbed/helm
  (cd "$dir" && go mod edit -require="helm.sh/helm/v4@$HELM_VERSION" -tool=helm.sh/helm/v4/cmd/helm)
  (cd "$dir" && go mod tidy)
  log "helm $HELM_VERSION: go build"
  # As helm's Makefile builds a release: static, its version stamped in.
  (cd "$dir" && CGO_ENABLED=0 go build -trimpath -o "$dir/bin/helm" \
    -ldflags "$LDFLAGS -X helm.sh/helm/v4/internal/version.version=$HELM_VERSION -X helm.sh/helm/v4/internal/version.metadata= -X helm.sh/helm/v4/internal/version.gitTreeState=clean" \
    helm.sh/helm/v4/cmd/helm)
  mv -f "$dir/bin/helm" "$BIN/helm"
  echo "$stamp" >"$BIN/.stamp-helm"
  log "helm $HELM_VERSION: built"
}

# Components to build: the arguments (etcd, chainsaw, kubernetes, helm), else all of them.
components=("$@")
[[ ${#components[@]} -gt 0 ]] || components=(etcd chainsaw kubernetes helm)

start=$SECONDS
log "cache: $CACHE ($(go env GOVERSION), GOPROXY=$(go env GOPROXY))"
for c in "${components[@]}"; do
  case $c in
    etcd | chainsaw | kubernetes | helm) "build_$c" ;;
    *)
      log "unknown component: $c (etcd, chainsaw, kubernetes, helm)"
      exit 2
      ;;
  esac
done
# CPU time of every go command above: the second line of `times` (this shell's children, user and system).
times >"$CACHE/.times"
log "done in $((SECONDS - start)) s wall, CPU (user system) $(sed -n 2p "$CACHE/.times"); binaries in $BIN"
