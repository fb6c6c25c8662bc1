#!/usr/bin/env bash
# Throwaway PostgreSQL cluster for tests, on a free loopback port, run as the postgres user.
#   .ci/postgres.sh start DIR            -> prints the KAWAL_TEST_POSTGRES connection string on its last line
#   .ci/postgres.sh standby PRIMARY DIR  -> a streaming standby of the cluster started in PRIMARY (pg_basebackup -R);
#                                           prints the KAWAL_TEST_POSTGRES_STANDBY connection string on its last line
#   .ci/postgres.sh stop DIR
set -euo pipefail
cmd=${1:?start|stop}; dir=${2:?folder for the cluster}
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -n "$bin" ] || { echo "PostgreSQL server binaries not found under /usr/lib/postgresql" >&2; exit 1; }
as_postgres() { su postgres -s /bin/sh -c "$1"; }

if [ "$cmd" = stop ]; then
  [ -f "$dir/data/postmaster.pid" ] && as_postgres "'$bin/pg_ctl' -D '$dir/data' -m immediate stop" >/dev/null 2>&1 || true
  exit 0
fi

free_port() {
  local p
  for _ in $(seq 1 50); do
    p=$(( 20000 + RANDOM % 40000 ))
    (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return; }
  done
  echo "no free port found" >&2; return 1
}

if [ "$cmd" = standby ]; then
  primary=$dir; dir=${3:?folder for the standby}
  pport=$(sed -n 4p "$primary/data/postmaster.pid")
  mkdir -p "$dir"; chown postgres:postgres "$dir"
  port=$(free_port)
  as_postgres "'$bin/pg_basebackup' -h 127.0.0.1 -p $pport -U postgres -D '$dir/data' -R -X stream >'$dir/basebackup.log' 2>&1"
  as_postgres "'$bin/pg_ctl' -D '$dir/data' -l '$dir/server.log' -w -t 60 -o \"-p $port -k '$dir' -c listen_addresses=127.0.0.1 -c hot_standby=on -c max_connections=300 -c max_standby_streaming_delay=-1\" start" >/dev/null
  echo "Host=127.0.0.1;Port=$port;Username=postgres;Database=kawal_test;Maximum Pool Size=20"
  exit 0
fi

mkdir -p "$dir"; chown postgres:postgres "$dir"
port=$(free_port)
as_postgres "'$bin/initdb' -D '$dir/data' -U postgres -A trust -E UTF8 --no-locale >'$dir/initdb.log' 2>&1"
as_postgres "'$bin/pg_ctl' -D '$dir/data' -l '$dir/server.log' -w -t 60 -o \"-p $port -k '$dir' -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300\" start" >/dev/null
as_postgres "'$bin/psql' -h 127.0.0.1 -p $port -U postgres -qc 'CREATE DATABASE kawal_test'" >/dev/null
echo "Host=127.0.0.1;Port=$port;Username=postgres;Database=kawal_test;Maximum Pool Size=20"
