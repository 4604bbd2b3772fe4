#!/usr/bin/env bash
# A PostgreSQL server for the test suite on 127.0.0.1:5432. Where one answers it is used as it is;
# otherwise Debian's server is installed when missing, and a cluster of our own with trust
# authentication is created and started. Either way the database named by $1 is created when missing.
set -euo pipefail
database=${1:-test}
cluster=esseepankki

answers() { python3 -c "import socket; socket.create_connection(('127.0.0.1', 5432), 2)" 2>/dev/null; }

if answers; then
    echo "PostgreSQL answers on 127.0.0.1:5432"
else
    if [ "$(id -u)" != 0 ]; then
        echo "No PostgreSQL answers on 127.0.0.1:5432; run make postgres as root to start one." >&2
        exit 1
    fi
    if ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
        export DEBIAN_FRONTEND=noninteractive
        apt-get install -y -qq postgresql >/dev/null 2>&1 ||
            { apt-get update -qq >/dev/null && apt-get install -y -qq postgresql >/dev/null; }
    fi
    # Installing may have started Debian's own cluster.
    if ! answers; then
        version=$(ls /usr/lib/postgresql | sort -n | tail -1)
        install -d -o postgres -g postgres /var/run/postgresql
        if ! pg_lsclusters -h | awk '{print $1 "/" $2}' | grep -qx "$version/$cluster"; then
            pg_createcluster --port 5432 --start-conf manual "$version" "$cluster" \
                -- --auth=trust --encoding=UTF8 --locale=C.UTF-8 >/dev/null
        fi
        pg_ctlcluster "$version" "$cluster" start -- -o "-c listen_addresses=127.0.0.1"
        for _ in $(seq 30); do answers && break; sleep 1; done
        answers || { echo "PostgreSQL did not start: see /var/log/postgresql/" >&2; exit 1; }
        echo "PostgreSQL $version (cluster $cluster) started on 127.0.0.1:5432"
    fi
fi

if ! psql -h 127.0.0.1 -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$database'" | grep -q 1; then
    psql -h 127.0.0.1 -U postgres -qc "CREATE DATABASE \"$database\""
fi
