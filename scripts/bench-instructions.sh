#!/usr/bin/env bash
# PostgreSQL's own work per migration, counted in instructions rather than seconds: a figure that
# does not move with the host (steal, a neighbour's load), unlike the rates of bench-migrations.sh.
# One PostgreSQL backend in single-user mode (no network, no other process) runs, under valgrind's
# callgrind, first WARM then WARM + COUNT calls of passerelle_migrate_session, the function the
# application calls; the difference divided by COUNT is the cost of one migration, start-up and
# caches left out. The same for pgbench's tpcb-like transaction (its five statements between BEGIN
# and END, with pgbench's random values drawn once from a fixed seed), and the ratio of the two.
# PROFILE=1 also prints the functions of PostgreSQL that cost the most per migration (inclusive).
# DROP_INDEX=NAME drops that index of the application's schema before counting: what it costs.
# WITHOUT=foreign-keys,documents counts what a migration would cost with less to do: without every
# foreign key of the schema, or with the copied documents (answers, results, product metadata)
# emptied. Neither is a change to make: they price what the issue asks for against pgbench.
# BACKGROUND=N first adds N other clients and N other (abandoned) sessions: a database that is not
# new. BEFORE_SQL='…' runs any other SQL in the application's schema before counting.
set -euo pipefail
cd "$(dirname "$0")/.."
export SWIFT_BACKTRACE=enable=no
count=${COUNT:-200}
warm=${WARM:-20}
# SQL run in the application's schema before counting (DROP_INDEX, WITHOUT, BACKGROUND, BEFORE_SQL).
before=()
[ -n "${DROP_INDEX:-}" ] && before+=("DROP INDEX \"$DROP_INDEX\"")
without=${WITHOUT:-}
for part in ${without//,/ }; do
    case "$part" in
        foreign-keys) before+=("DO \$\$ DECLARE r record; BEGIN
            FOR r IN SELECT conrelid::regclass::text AS t, conname FROM pg_constraint
                      WHERE contype = 'f' AND connamespace = current_schema()::regnamespace LOOP
                EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %I', r.t, r.conname);
            END LOOP; END \$\$") ;;
        documents) before+=("UPDATE \"TemporarySession\" SET simulation_answers = '{}', simulation_results = '{}'"
                            "UPDATE \"TemporaryEligibility\" SET product_metadata = '{}' WHERE product_metadata IS NOT NULL") ;;
        *) echo "WITHOUT : « $part » inconnu (foreign-keys, documents)" >&2; exit 2 ;;
    esac
done
background=${BACKGROUND:-0}
[[ "$background" =~ ^[0-9]+$ ]] || { echo "BACKGROUND : un nombre de lignes attendu, pas « $background »" >&2; exit 2; }
if [ "$background" -gt 0 ]; then
    # Copies of the first client and session under new keys; fresh statistics for those two tables,
    # none for the tables a migration fills, as in SessionMigrationBenchmark (statistics saying those are
    # empty would make the foreign-key checks on them sequential scans).
    before+=("INSERT INTO \"Client\" SELECT (jsonb_populate_record(NULL::\"Client\", to_jsonb(c)
                  || jsonb_build_object('id', gen_random_uuid(), 'email', 'fond-' || g || '@example.fr'))).*
                FROM (SELECT * FROM \"Client\" LIMIT 1) c, generate_series(1, $background) g"
             "INSERT INTO \"TemporarySession\" SELECT (jsonb_populate_record(NULL::\"TemporarySession\", to_jsonb(s)
                  || jsonb_build_object('id', gen_random_uuid(), 'session_token_hash', md5(g::text) || md5(g::text),
                                        'status', 'abandoned'))).*
                FROM (SELECT * FROM \"TemporarySession\" LIMIT 1) s, generate_series(1, $background) g"
             "ANALYZE \"Client\"" "ANALYZE \"TemporarySession\"")
fi
[ -n "${BEFORE_SQL:-}" ] && before+=("$BEFORE_SQL")
source scripts/postgres.sh
command -v valgrind >/dev/null || debian_install valgrind valgrind
swift build -c release --product migration-bench
bin="$(swift build -c release --show-bin-path)/migration-bench"
trap pg_stop EXIT
pg_start >/dev/null

# Sessions, clients and their job list (bench_job) in a schema of their own; pgbench's tables.
schema=$("$bin" --database-url "$PG_URL" --prepare-jobs --count $((warm + count)) | awk '$1 == "SCHEMA" {print $2}')
if [ ${#before[@]} -gt 0 ]; then
    args=(-c "SET search_path = \"$schema\"")
    for statement in "${before[@]}"; do args+=(-c "$statement"); done
    "$PG_BIN/psql" -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PG_PORT" -U postgres postgres "${args[@]}"
fi
"$PG_BIN/pgbench" -i -s 10 -q -h 127.0.0.1 -p "$PG_PORT" -U postgres postgres >/dev/null 2>&1
pg_halt

work=$(mktemp -d)
trap 'pg_stop; rm -rf "$work"' EXIT
if [ "$(id -u)" = 0 ]; then chown postgres "$work"; fi
# Single-user mode with -j: a command ends at a semicolon followed by an empty line.
python3 - "$work" "$schema" "$warm" "$count" <<'PY'
import random, sys
work, schema, warm, count = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
def migrations(n, path):
    with open(path, "w") as f:
        f.write(f"SET search_path = {schema};\n\n")
        for k in range(1, n + 1):
            f.write("SELECT passerelle_migrate_session(j.token_hash, j.client_id, 'cli', NULL, now(), 30000) "
                    f"FROM bench_job j WHERE j.n = {k};\n\n")
        # A refused call costs less than a migration: every session must have been migrated.
        f.write("DO $$ BEGIN IF (SELECT count(*) FROM \"TemporarySession\" WHERE \"status\" = 'migrated') <> "
                f"{n} THEN RAISE EXCEPTION 'sessions non migrées'; END IF; END $$;\n\n")
def tpcb(n, path):
    draw = random.Random(42)
    with open(path, "w") as f:
        for _ in range(n):
            aid, bid, tid = draw.randint(1, 1_000_000), draw.randint(1, 10), draw.randint(1, 100)
            delta = draw.randint(-5000, 5000)
            for statement in ["BEGIN",
                              f"UPDATE pgbench_accounts SET abalance = abalance + {delta} WHERE aid = {aid}",
                              f"SELECT abalance FROM pgbench_accounts WHERE aid = {aid}",
                              f"UPDATE pgbench_tellers SET tbalance = tbalance + {delta} WHERE tid = {tid}",
                              f"UPDATE pgbench_branches SET bbalance = bbalance + {delta} WHERE bid = {bid}",
                              "INSERT INTO pgbench_history (tid, bid, aid, delta, mtime) "
                              f"VALUES ({tid}, {bid}, {aid}, {delta}, CURRENT_TIMESTAMP)",
                              "END"]:
                f.write(statement + ";\n\n")
migrations(warm, f"{work}/migrations-short.sql"); migrations(warm + count, f"{work}/migrations-long.sql")
tpcb(warm, f"{work}/tpcb-short.sql"); tpcb(warm + count, f"{work}/tpcb-long.sql")
PY

# instructions NAME: runs NAME.sql in a single-user backend on a fresh copy of the prepared data
# directory, under callgrind; prints the instructions counted. Fails on any SQL error.
instructions() {
    rm -rf "$work/data"
    cp -a "$PG_DIR/data" "$work/data"
    pg_as_owner "valgrind --tool=callgrind --callgrind-out-file='$work/$1.out' '$PG_BIN/postgres' --single -j -D '$work/data' \
        $PG_DURABILITY postgres <'$work/$1.sql' >'$work/$1.log' 2>&1"
    if grep -q 'ERROR' "$work/$1.log"; then
        echo "Erreur SQL pendant $1 :" >&2
        grep -m 3 'ERROR' "$work/$1.log" >&2
        exit 1
    fi
    awk '/Collected :/ {print $NF}' "$work/$1.log"
}
echo "== Instructions exécutées par PostgreSQL (callgrind, un processus serveur en mode mono-utilisateur, sans réseau) =="
declare -A counted
for name in migrations-short migrations-long tpcb-short tpcb-long; do
    counted[$name]=$(instructions "$name")
done
per_migration=$(( (counted[migrations-long] - counted[migrations-short]) / count ))
per_tpcb=$(( (counted[tpcb-long] - counted[tpcb-short]) / count ))
echo "passerelle_migrate_session : $per_migration instructions par rattachement ($count rattachements, après $warm de mise en route)"
echo "pgbench tpcb-like : $per_tpcb instructions par transaction ($count transactions, après $warm de mise en route)"
python3 -c "print(f'Rapport tpcb-like / rattachement : {$per_tpcb / $per_migration:.2f}')"

if [ "${PROFILE:-0}" = 1 ]; then
    echo "== Coût par rattachement des fonctions de PostgreSQL (inclusif, les 40 premières) =="
    for name in migrations-short migrations-long; do
        callgrind_annotate --inclusive=yes --threshold=100 "$work/$name.out" >"$work/$name.txt" 2>/dev/null
    done
    python3 - "$work/migrations-short.txt" "$work/migrations-long.txt" "$count" <<'PY'
import re, sys
def load(path):
    costs = {}
    for line in open(path):
        match = re.match(r"\s*([\d,]+) \([\s\d.]+%\)\s+(.*)$", line)
        if match:
            costs[match.group(2).strip()] = int(match.group(1).replace(",", ""))
    return costs
short, long_, count = load(sys.argv[1]), load(sys.argv[2]), int(sys.argv[3])
total = (long_["PROGRAM TOTALS"] - short["PROGRAM TOTALS"]) / count
rows = sorted((((cost - short.get(name, 0)) / count, name) for name, cost in long_.items()
               if "???:0x" not in name and name != "PROGRAM TOTALS"), reverse=True)
rows = [(cost, name.split(" [")[0].removeprefix("???:")) for cost, name in rows if cost < 0.99 * total]
for cost, name in rows[:40]:
    print(f"{cost:10.0f} {100 * cost / total:5.1f} %  {name}")
PY
fi
