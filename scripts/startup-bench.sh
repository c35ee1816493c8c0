#!/usr/bin/env bash
# Prints how long the newcomer waits: `npm start` to /health ok after a source change (an SWC
# compile) and warm (nothing to compile), and one CLI command. Uses its own DATA_DIR and port, so it
# touches nothing of a running server. The embedded database must be built already (npm start once).
set -euo pipefail
cd "$(dirname "$0")/.."

work="$(mktemp -d)"
port="$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')"
trap 'rm -rf "$work"' EXIT
now() { date +%s.%N; }
secs() { node -e "console.log((process.argv[1] - process.argv[2]).toFixed(1))" "$1" "$2"; }

# One start until /health answers; prints the seconds, then stops the server.
start_once() {
  local t0 server
  t0="$(now)"
  env -i PATH="$PATH" HOME="$HOME" PORT="$port" DATA_DIR="$work/var" setsid npm start >"$work/server.log" 2>&1 &
  server=$!
  for _ in $(seq 1 1200); do
    curl -fsS "http://127.0.0.1:$port/health" >/dev/null 2>&1 && break
    kill -0 "$server" 2>/dev/null || { tail -n 20 "$work/server.log" >&2; exit 1; }
    sleep 0.1
  done
  secs "$(now)" "$t0"
  kill -INT -- -"$server" 2>/dev/null || true
  while kill -0 "$server" 2>/dev/null; do sleep 0.1; done
}

touch src/main.ts
first="$(start_once)"
warm="$(start_once)"
t0="$(now)"
env -i PATH="$PATH" HOME="$HOME" DATA_DIR="$work/var" npm run -s cli -- token list >/dev/null
cli="$(secs "$(now)" "$t0")"

echo "npm start to /health ok, after a source change (SWC compile): ${first} s"
echo "npm start to /health ok, warm: ${warm} s (target < 15 s)"
echo "npm run cli -- token list: ${cli} s (target < 5 s)"
