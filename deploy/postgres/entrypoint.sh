#!/bin/sh
# ROLE=primary: initialise once (owner role kawal_owner, row-only role kawal_app, replication role), then serve.
# ROLE=standby: copy the primary once with pg_basebackup -R (a streaming hot standby), then serve.
set -eu
bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  if [ "${ROLE:-primary}" = standby ]; then
    until "$bin/pg_isready" -h "$PRIMARY_HOST" -p 5432 -q; do sleep 1; done
    PGPASSWORD="$REPLICATION_PASSWORD" "$bin/pg_basebackup" -h "$PRIMARY_HOST" -U replicator -D "$PGDATA" -R -X stream -P
  else
    "$bin/initdb" -D "$PGDATA" -E UTF8 --locale=C.UTF-8 -A scram-sha-256 --pwfile=/run/secrets/postgres_password -U postgres
    {
      echo "listen_addresses = '*'"
      echo "wal_level = replica"
      echo "hot_standby = on"
    } >>"$PGDATA/postgresql.conf"
    {
      echo "host all all 0.0.0.0/0 scram-sha-256"
      echo "host replication replicator 0.0.0.0/0 scram-sha-256"
    } >>"$PGDATA/pg_hba.conf"
    "$bin/pg_ctl" -D "$PGDATA" -w start -o "-c listen_addresses=''"
    "$bin/psql" -v ON_ERROR_STOP=1 -U postgres <<SQL
CREATE ROLE replicator LOGIN REPLICATION PASSWORD '$REPLICATION_PASSWORD';
CREATE ROLE kawal_owner LOGIN PASSWORD '$OWNER_PASSWORD';
CREATE ROLE kawal_app LOGIN PASSWORD '$APP_PASSWORD';
CREATE DATABASE kawal OWNER kawal_owner ENCODING 'UTF8' TEMPLATE template0;
\c kawal
ALTER SCHEMA public OWNER TO kawal_owner;
GRANT USAGE ON SCHEMA public TO kawal_app;
ALTER DEFAULT PRIVILEGES FOR ROLE kawal_owner IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO kawal_app;
ALTER DEFAULT PRIVILEGES FOR ROLE kawal_owner IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO kawal_app;
SQL
    "$bin/pg_ctl" -D "$PGDATA" -w stop
  fi
fi
exec "$bin/postgres" -D "$PGDATA"
