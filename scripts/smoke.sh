#!/usr/bin/env bash
# The newcomer path, checked end to end on a built tree: `npm start` with no environment boots on
# the embedded default, /health says ok, /docs lists the routes, the first admin token is printed,
# `npm run cli -- token create` issues a token that works, a bad body gets a 400 naming the field,
# and a malformed variable stops the process with one line naming it.
set -euo pipefail
cd "$(dirname "$0")/.."

work="$(mktemp -d)"
port="$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')"
base="http://127.0.0.1:$port"
log="$work/server.log"
fail() { echo "smoke: FAIL: $*" >&2; echo "--- server log" >&2; tail -n 40 "$log" >&2 || true; exit 1; }

# Only PORT and DATA_DIR are set, so the run cannot collide with anything else on the machine.
env -i PATH="$PATH" HOME="$HOME" PORT="$port" DATA_DIR="$work/var" setsid npm start >"$log" 2>&1 &
server=$!
trap 'kill -INT -- -$server 2>/dev/null || true; sleep 1; kill -KILL -- -$server 2>/dev/null || true' EXIT

for _ in $(seq 1 600); do
  curl -fsS "$base/health" >/dev/null 2>&1 && break
  kill -0 "$server" 2>/dev/null || fail "server exited during start-up"
  sleep 0.5
done
health="$(curl -fsS "$base/health")" || fail "/health did not answer"
echo "smoke: GET /health -> $health"
grep -q '"status":"ok"' <<<"$health" || fail "/health is not ok"
grep -q "data in embedded FerretDB" "$log" || grep -q "data in embedded mongod" "$log" || fail "no log line about where data goes"
grep -q "mail as .eml files in" "$log" || fail "no log line about where mail goes"

paths="$(curl -fsS "$base/docs/openapi.json" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(Object.keys(JSON.parse(s).paths).join(" ")))')"
echo "smoke: /docs lists: $paths"
for p in /health /api/tokens /api/students /api/me; do grep -qw -- "$p" <<<"$paths" || fail "/docs does not list $p"; done
curl -fsS "$base/docs" | grep -q swagger-ui || fail "/docs does not serve Swagger UI"

admin="$(sed -n 's/.*store it now): \(cf_[A-Za-z0-9_-]*\).*/\1/p' "$log" | head -n 1)"
[ -n "$admin" ] || fail "no first admin token printed"
echo "smoke: first admin token printed (${admin:0:9}…)"

created="$(env -i PATH="$PATH" HOME="$HOME" PORT="$port" DATA_DIR="$work/var" npm run -s cli -- token create --role instructor --name "Smoke Test")"
echo "smoke: cli -> $(head -n 1 <<<"$created")"
token="$(sed -n 's/.*store it now): //p' <<<"$created")"
[ -n "$token" ] || fail "cli printed no token"

status="$(curl -s -o "$work/created.json" -w '%{http_code}' -X POST "$base/api/students" -H "Authorization: Bearer $token" \
  -H 'Content-Type: application/json' -d '{"email":"wang.fang@example.com","name":"Wang Fang"}')"
[ "$status" = 201 ] || fail "creating a student with the cli token gave $status: $(cat "$work/created.json")"
echo "smoke: POST /api/students with the new token -> $status"

bad="$(curl -s -w ' %{http_code}' -X POST "$base/api/students" -H "Authorization: Bearer $token" \
  -H 'Content-Type: application/json' -d '{"email":"not-an-email","name":"Wang Fang"}')"
echo "smoke: bad body -> $bad"
[[ "$bad" == *'"message":"email: email must be an email"'*' 400' ]] || fail "bad body was not a 400 naming the field"

[ "$(curl -s -o /dev/null -w '%{http_code}' "$base/api/students" -H "Authorization: Bearer $admin")" = 200 ] || fail "admin token refused"

set +e
bad_env="$(env -i PATH="$PATH" HOME="$HOME" PORT=eighty node dist/main.js 2>&1)"
code=$?
set -e
echo "smoke: PORT=eighty -> exit $code: $bad_env"
[ "$code" = 1 ] && [ "$(wc -l <<<"$bad_env")" = 1 ] && [[ "$bad_env" == *PORT* ]] || fail "malformed PORT did not stop with one line"

echo "smoke: ok"
