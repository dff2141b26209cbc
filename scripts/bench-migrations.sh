#!/usr/bin/env bash
# Migration benchmark (release build): migrations/s and p50/p99 latency at concurrency 1 and 8 on
# SQLite and on a PostgreSQL server started here; on that same server, pgbench's built-in
# tpcb-like rate at the same concurrency, and the ratio migrations/s ÷ pgbench tps.
set -euo pipefail
cd "$(dirname "$0")/.."
export SWIFT_BACKTRACE=enable=no
count=${COUNT:-300}
swift build -c release --product migration-bench
bin="$(swift build -c release --show-bin-path)/migration-bench"
source scripts/postgres.sh
trap pg_stop EXIT
pg_start

echo "== SQLite ($count migrations per level) =="
"$bin" --count "$count" | grep -v '^RESULT'
sync  # SQLite's files written back now, not during the next measurements
echo "== PostgreSQL ($count migrations per level) =="
results=$("$bin" --count "$count" --database-url "$PG_URL")
echo "$results" | grep -v '^RESULT'

echo "== pgbench tpcb-like, same server =="
"$PG_BIN/pgbench" -i -s 10 -q -h 127.0.0.1 -p "$PG_PORT" -U postgres postgres >/dev/null 2>&1
for clients in 1 8; do
    threads=$([ "$clients" = 1 ] && echo 1 || echo 2)
    tps=$("$PG_BIN/pgbench" -c "$clients" -j "$threads" -T "${PGBENCH_SECONDS:-15}" -h 127.0.0.1 -p "$PG_PORT" -U postgres postgres 2>/dev/null \
        | awk '/^tps/ {print $3; exit}')
    for path in PostgreSQL PostgreSQL-function; do
        rate=$(echo "$results" | awk -v c="$clients" -v p="$path" '$1 == "RESULT" && $2 == p && $3 == c {print $4}')
        ratio=$(python3 -c "print(f'{$rate / $tps:.2f}')")
        echo "$path concurrency $clients: pgbench tpcb-like $tps tps, migrations $rate/s, ratio $ratio"
    done
done
