#!/usr/bin/env bash
# Provide the Pulumi engine in .pulumi-engine/bin: the `pulumi` CLI, the Python language host and the
# two Python shims that must sit beside them. Uses a compatible `pulumi` already on PATH when there is
# one; otherwise builds the pinned release from the Go module proxy (see engine/go.mod).
# Idempotent: a second run with the build in place takes well under a second.
#
# usage: engine/provide.sh            build or reuse, then print the engine folder
#        PULUMI_ENGINE_REBUILD=1 ...  ignore every cache and build again
set -euo pipefail

PULUMI_VERSION="v3.274.1"           # keep equal to the version pinned in engine/go.mod
MIN_MINOR_ON_PATH=272               # the Python SDK in requirements.txt needs a CLI at least this new
BUILD_FLAGS=(-trimpath -tags osusergo,grpcnotrace)
LDFLAGS="-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=${PULUMI_VERSION}"

ENGINE_SRC="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PROJECT_ROOT="$(dirname "$ENGINE_SRC")"
BIN="${PROJECT_ROOT}/.pulumi-engine/bin"
MACHINE_CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/videocall-iac/pulumi-engine"
BINARIES=(pulumi pulumi-language-python pulumi-language-python-exec pulumi-resource-pulumi-python)

say() { printf '[engine %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
fail() { say "ERROR: $*"; exit 1; }

# The stamp names everything that decides the build's output, so a changed pin or host rebuilds.
stamp() {
    cat "$ENGINE_SRC/go.mod" "$ENGINE_SRC/go.sum" "$ENGINE_SRC"/cmd/*/*.go "$0" | sha256sum | cut -c1-16
}

complete_in() {
    local dir="$1" name
    for name in "${BINARIES[@]}"; do [[ -x "$dir/$name" ]] || return 1; done
}

use_pulumi_on_path() {
    local found version minor
    found="$(command -v pulumi 2>/dev/null)" || return 1
    [[ "$found" == "$BIN/pulumi" ]] && return 1
    version="$(pulumi version 2>/dev/null)" || return 1
    [[ "$version" =~ ^v3\.([0-9]+)\. ]] || return 1
    minor="${BASH_REMATCH[1]}"
    (( minor >= MIN_MINOR_ON_PATH )) || { say "ignoring pulumi $version on PATH (need v3.${MIN_MINOR_ON_PATH}+)"; return 1; }
    complete_in "$(dirname "$(readlink -f "$found")")" || {
        say "ignoring pulumi $version on PATH: its Python language host and shims are not beside it"; return 1; }
    say "using pulumi $version found at $found"
    mkdir -p "$BIN"
    local dir name
    dir="$(dirname "$(readlink -f "$found")")"
    for name in "${BINARIES[@]}"; do ln -sf "$dir/$name" "$BIN/$name"; done
    echo "path:$version" > "$BIN/.stamp"
}

require_go() {
    command -v go >/dev/null 2>&1 || fail "no Go toolchain on PATH. Install Go 1.26 or newer (e.g. 'apt-get install golang' or from go.dev) and run this again; or put a pulumi ${PULUMI_VERSION} with its Python language host on PATH."
    local have
    have="$(go env GOVERSION)"
    [[ "$have" =~ ^go1\.(2[6-9]|[3-9][0-9]) ]] || fail "Go $have is too old to build pulumi ${PULUMI_VERSION}; install Go 1.26 or newer."
}

# go build prints nothing for minutes; a heartbeat shows the build is alive.
with_heartbeat() {
    local label="$1"; shift
    local started=$SECONDS
    ( while sleep 30; do say "$label: still working ($((SECONDS - started))s)"; done ) &
    local ticker=$!
    local status=0
    "$@" || status=$?
    kill "$ticker" 2>/dev/null; wait "$ticker" 2>/dev/null || true
    return $status
}

build() {
    require_go
    local out="$1" sdk_dir
    mkdir -p "$out"
    cd "$ENGINE_SRC"
    export CGO_ENABLED=0 GOFLAGS="${GOFLAGS:-} -mod=readonly"
    say "downloading Go modules for pulumi ${PULUMI_VERSION} (several hundred MB on a cold machine)"
    with_heartbeat "module download" go mod download || fail "could not download Go modules (is the Go module proxy reachable? GOPROXY=$(go env GOPROXY))"
    say "compiling the pulumi CLI (about 6 minutes on 2 cold cores, seconds when the Go build cache is warm)"
    with_heartbeat "pulumi CLI" go build "${BUILD_FLAGS[@]}" -ldflags "$LDFLAGS" -o "$out/pulumi" \
        github.com/pulumi/pulumi/pkg/v3/cmd/pulumi || fail "building the pulumi CLI failed (see the Go output above)"
    say "compiling the Python language host"
    go build "${BUILD_FLAGS[@]}" -ldflags "$LDFLAGS" -o "$out/pulumi-language-python" ./cmd/pulumi-language-python \
        || fail "building the Python language host failed"
    # The shims live in the sdk/v3 module; module-cache files are read-only and not executable.
    sdk_dir="$(go list -m -f '{{.Dir}}' github.com/pulumi/pulumi/sdk/v3)"
    install -m 0755 "$sdk_dir/python/cmd/pulumi-language-python-exec" "$out/pulumi-language-python-exec"
    install -m 0755 "$sdk_dir/python/dist/pulumi-resource-pulumi-python" "$out/pulumi-resource-pulumi-python"
}

main() {
    local want
    if [[ -z "${PULUMI_ENGINE_REBUILD:-}" ]] && use_pulumi_on_path; then echo "$BIN"; return; fi
    want="$(stamp)"
    if [[ -z "${PULUMI_ENGINE_REBUILD:-}" && -f "$BIN/.stamp" && "$(cat "$BIN/.stamp")" == "$want" ]] && complete_in "$BIN"; then
        echo "$BIN"; return
    fi
    rm -rf "$BIN"; mkdir -p "$BIN"
    local cached="$MACHINE_CACHE/$want"
    if [[ -z "${PULUMI_ENGINE_REBUILD:-}" ]] && complete_in "$cached"; then
        say "reusing the engine build cached on this machine"
        cp -p "$cached"/pulumi* "$BIN/"
    else
        local started=$SECONDS
        build "$BIN"
        say "built in $((SECONDS - started))s"
        # Best effort: a machine cache that cannot be written only costs the next clone a rebuild.
        if mkdir -p "$cached.tmp" 2>/dev/null && cp -p "$BIN"/pulumi* "$cached.tmp/" 2>/dev/null; then
            rm -rf "$cached"; mv "$cached.tmp" "$cached" || true
        else
            rm -rf "$cached.tmp" 2>/dev/null || true
        fi
    fi
    local version
    version="$("$BIN/pulumi" version)"
    [[ "$version" == "$PULUMI_VERSION" ]] || fail "built pulumi reports $version, expected $PULUMI_VERSION"
    echo "$want" > "$BIN/.stamp"
    say "pulumi $version ready in $BIN"
    echo "$BIN"
}

main "$@"
