#!/usr/bin/env bash
# Starts the server on the given database and runs schemathesis against its /openapi.json:
# fails on any 5xx, undocumented status, wrong content type or body that breaks the document, on
# any request the document forbids but the server accepts, or the document allows but the server
# refuses as malformed, and on any route that only ever refused (scripts/contract-fixtures.py gives
# it accounts and sessions, and the statuses each check expects).
# Usage: scripts/contract-test.sh [DATABASE_URL]   (SQLite in a temporary file when omitted);
# SCHEMATHESIS_EXAMPLES per route (60), SCHEMATHESIS_EXTRA more options (e.g. --report har).
set -euo pipefail
cd "$(dirname "$0")/.."
export SWIFT_BACKTRACE=enable=no
workdir=$(mktemp -d /tmp/passerelle-contract.XXXXXX)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
binary="$(swift build --show-bin-path)/passerelle"
[ -x "$binary" ] || swift build --product passerelle
if [ -n "${1:-}" ]; then export DATABASE_URL="$1"; else export SQLITE_PATH="$workdir/contract.sqlite"; fi
# schemathesis sends hundreds of sign-ins, sign-ups and new sessions from one address: no limits per
# address here (AddressLimitTests covers them), so that every route's success is reached.
export PORT="$port" LOG_LEVEL=warning PASSWORD_ATTEMPTS_PER_MINUTE=0 SESSIONS_PER_MINUTE=0
"$binary" serve >"$workdir/server.log" 2>&1 &
server=$!
cleanup() { kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; rm -rf "$workdir"; }
trap cleanup EXIT
for _ in $(seq 1 120); do
    curl -fsS "http://127.0.0.1:$port/health" >/dev/null 2>&1 && break
    kill -0 "$server" 2>/dev/null || { cat "$workdir/server.log" >&2; exit 1; }
    sleep 0.5
done
# The served contract, with a real session in the sign-up example, and the run's accounts and sessions.
python3 scripts/contract-fixtures.py "$port" "$binary" "$workdir"
schemathesis --config-file "$workdir/schemathesis.toml" run "$workdir/openapi.json" --url "http://127.0.0.1:$port" \
    --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance,response_headers_conformance,ignored_auth,unsupported_method,negative_data_rejection,positive_data_acceptance \
    --max-examples "${SCHEMATHESIS_EXAMPLES:-60}" --phases examples,coverage,fuzzing,stateful \
    --request-timeout 10 --suppress-health-check all --no-color ${SCHEMATHESIS_EXTRA:-}
