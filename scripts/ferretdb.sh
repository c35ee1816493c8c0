#!/usr/bin/env bash
# FerretDB v1.24.2 (SQLite handler) for tests, CI and the embedded development default.
#
#   scripts/ferretdb.sh build        build once into .cache/ferretdb/ (reused), print the binary path
#   scripts/ferretdb.sh start DIR    start on a free loopback port with data in DIR; print MONGODB_URI=...
#   scripts/ferretdb.sh stop DIR     stop the server started with DIR
#
# `go install github.com/FerretDB/FerretDB/cmd/ferretdb@v1.24.2` is refused by the module proxy's
# deprecation look-up, and the module zip lacks build/version/version.txt (the binary panics
# without it), so we download the module, copy its source, write the version file and build.
set -euo pipefail

VERSION=v1.24.2
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE_DIR="${FERRETDB_CACHE_DIR:-$ROOT/.cache/ferretdb/$VERSION}"
BIN="$CACHE_DIR/ferretdb"

log() { echo "ferretdb.sh: $*" >&2; }

# `progress WHAT`: logs WHAT, then "still WHAT (N s)" every 10 s until the next call; `progress`
# alone stops. A first build is minutes of silence otherwise.
TICKER=""
progress() {
  [ -n "$TICKER" ] && kill "$TICKER" 2>/dev/null || true
  TICKER=""
  [ $# -eq 0 ] && return
  log "$1"
  local what="${1#*: }" since=$SECONDS
  (while sleep 10; do log "still ${what%% (*} ($((SECONDS - since)) s)..."; done) >&2 &
  TICKER=$!
}
trap 'progress' EXIT

build() {
  if [ -x "$BIN" ]; then
    echo "$BIN"
    return
  fi
  command -v go >/dev/null || { log "Go is not installed; cannot build FerretDB"; exit 3; }
  log "building FerretDB $VERSION into $CACHE_DIR (first time only; 2-5 minutes on a 2-core machine)"
  local src_dir work
  progress "step 1/2: downloading the FerretDB module and its dependencies (about a minute)"
  src_dir="$(cd "$(mktemp -d)" && go mod download -json "github.com/FerretDB/FerretDB@$VERSION" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')"
  [ -n "$src_dir" ] && [ -d "$src_dir" ] || { log "could not download the FerretDB module"; exit 1; }
  work="$(mktemp -d)"
  cp -R "$src_dir/." "$work/"
  chmod -R u+w "$work"
  echo "$VERSION" > "$work/build/version/version.txt"
  mkdir -p "$CACHE_DIR"
  progress "step 2/2: compiling FerretDB with Go (1-4 minutes)"
  (cd "$work" && CGO_ENABLED=0 go build -trimpath -o "$BIN.tmp" ./cmd/ferretdb) >&2
  progress
  mv "$BIN.tmp" "$BIN"
  rm -rf "$work"
  log "built $BIN"
  echo "$BIN"
}

free_port() {
  node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

start() {
  local dir="${1:?usage: ferretdb.sh start DIR}"
  local bin port
  bin="$(build)"
  mkdir -p "$dir"
  dir="$(cd "$dir" && pwd)"
  port="$(free_port)"
  nohup "$bin" --handler=sqlite --sqlite-url="file:$dir/" --state-dir="$dir" \
    --listen-addr="127.0.0.1:$port" --debug-addr=- --telemetry=disable --log-level=warn \
    >"$dir/ferretdb.log" 2>&1 &
  echo $! >"$dir/ferretdb.pid"
  for _ in $(seq 1 100); do
    if (echo >"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "mongodb://127.0.0.1:$port/" >"$dir/ferretdb.uri"
      echo "MONGODB_URI=mongodb://127.0.0.1:$port/"
      return
    fi
    kill -0 "$(cat "$dir/ferretdb.pid")" 2>/dev/null || { log "FerretDB exited:"; cat "$dir/ferretdb.log" >&2; exit 1; }
    sleep 0.1
  done
  log "FerretDB did not listen on port $port within 10 s"
  exit 1
}

stop() {
  local dir="${1:?usage: ferretdb.sh stop DIR}"
  [ -f "$dir/ferretdb.pid" ] || return 0
  local pid
  pid="$(cat "$dir/ferretdb.pid")"
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null || true
  rm -f "$dir/ferretdb.pid" "$dir/ferretdb.uri"
}

case "${1:-}" in
  build) build ;;
  start) start "${2:-}" ;;
  stop) stop "${2:-}" ;;
  *) echo "usage: $0 build | start DIR | stop DIR" >&2; exit 2 ;;
esac
