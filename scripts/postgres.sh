# Starts a throwaway PostgreSQL server for the tests and benchmarks; source this file.
# pg_start: installs PostgreSQL from Debian's packages when missing, creates a data directory in a
# temporary folder, starts the server on a free local port and exports PG_URL. pg_stop: stops it
# and removes the folder; pg_halt only stops it. debian_install: the same installation for another
# tool. PG_DURABILITY: the settings the server runs with, for any other process on its data.

# Throwaway data: no waiting for the disk.
PG_DURABILITY="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"

pg_bin() {
    local dir
    for dir in /usr/lib/postgresql/*/bin; do
        if [ -x "$dir/initdb" ]; then echo "$dir"; return 0; fi
    done
    return 1
}

pg_as_owner() {
    if [ "$(id -u)" = 0 ]; then su postgres -s /bin/sh -c "$1"; else sh -c "$1"; fi
}

# debian_install NAME PACKAGE: installs PACKAGE from Debian's packages as root; otherwise says so and fails.
debian_install() {
    if [ "$(id -u)" != 0 ]; then
        echo "$1 est absent : installez le paquet Debian « $2 » (apt-get install $2)." >&2
        return 1
    fi
    echo "Installation de $1 (paquets Debian)…"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$2" >/dev/null
}

pg_start() {
    if ! pg_bin >/dev/null; then
        debian_install PostgreSQL postgresql || return 1
    fi
    local bin
    bin=$(pg_bin)
    PG_DIR=$(mktemp -d /tmp/passerelle-pg.XXXXXX)
    PG_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
    if [ "$(id -u)" = 0 ]; then chown postgres "$PG_DIR"; fi
    pg_as_owner "'$bin/initdb' -D '$PG_DIR/data' -U postgres -A trust -E UTF8 --no-locale >'$PG_DIR/initdb.log' 2>&1" || {
        cat "$PG_DIR/initdb.log" >&2; return 1; }
    pg_as_owner "'$bin/pg_ctl' -D '$PG_DIR/data' -l '$PG_DIR/server.log' -w -t 60 \
        -o \"-p $PG_PORT -k '$PG_DIR' -c listen_addresses=127.0.0.1 -c max_connections=400 $PG_DURABILITY\" start >/dev/null" || {
        cat "$PG_DIR/server.log" >&2; return 1; }
    export PG_BIN="$bin" PG_DIR PG_PORT
    export PG_URL="postgres://postgres@127.0.0.1:$PG_PORT/postgres?sslmode=disable"
    echo "PostgreSQL démarré sur 127.0.0.1:$PG_PORT ($PG_DIR)"
}

pg_halt() {
    pg_as_owner "'$PG_BIN/pg_ctl' -D '$PG_DIR/data' -m fast -w stop >/dev/null 2>&1"
}

pg_stop() {
    if [ -n "${PG_DIR:-}" ] && [ -d "$PG_DIR" ]; then
        pg_halt || true
        rm -rf "$PG_DIR"
        PG_DIR=
    fi
}
