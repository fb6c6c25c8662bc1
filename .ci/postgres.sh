#!/usr/bin/env bash
# Starts a throwaway PostgreSQL cluster on a free local port as the postgres user and prints the
# KAWAL_TEST_POSTGRES connection string on its last line. Usage: .ci/postgres.sh start DIR | stop DIR
set -euo pipefail
cmd=${1:?start|stop}; dir=${2:?data folder}
bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
if [ "$cmd" = stop ]; then
  [ -f "$dir/data/postmaster.pid" ] && su postgres -s /bin/sh -c "$bin/pg_ctl -D '$dir/data' -m immediate stop" >/dev/null 2>&1 || true
  exit 0
fi
mkdir -p "$dir"; chown postgres:postgres "$dir"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
su postgres -s /bin/sh -c "$bin/initdb -D '$dir/data' -U postgres -A trust -E UTF8 --no-locale >'$dir/initdb.log' 2>&1"
su postgres -s /bin/sh -c "$bin/pg_ctl -D '$dir/data' -l '$dir/server.log' -w -t 60 \
  -o \"-p $port -k '$dir' -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200\" start" >/dev/null
su postgres -s /bin/sh -c "$bin/psql -h 127.0.0.1 -p $port -U postgres -qc 'CREATE DATABASE kawal_test'" >/dev/null
echo "Host=127.0.0.1;Port=$port;Username=postgres;Database=kawal_test;Pooling=true;Maximum Pool Size=20"
