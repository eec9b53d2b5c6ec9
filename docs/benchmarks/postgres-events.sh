#!/usr/bin/env bash
# Durable appends to a PostgreSQL events table, the comparison for wsledger bench workload 3:
# a table with unique (stream, version), fsync and synchronous_commit on, 16 clients each
# appending to its own stream with the next version, payloads of the same size as wsledger's
# stored events. Needs PostgreSQL's initdb, pg_ctl, postgres and pgbench on PATH (Debian:
# apt-get install postgresql; the binaries are in /usr/lib/postgresql/*/bin).
#
#   bash docs/benchmarks/postgres-events.sh            # 16 clients, 30 s, 700-byte payloads
#   CLIENTS=16 SECONDS_=60 PAYLOAD_BYTES=700 bash docs/benchmarks/postgres-events.sh
set -euo pipefail
CLIENTS=${CLIENTS:-16}
DURATION=${SECONDS_:-30}
PAYLOAD_BYTES=${PAYLOAD_BYTES:-700}
PGBIN=${PGBIN:-$(dirname "$(command -v initdb || ls /usr/lib/postgresql/*/bin/initdb | tail -1)")}

dir=$(mktemp -d /tmp/wsledger-pg-XXXXXX)
chmod 755 "$dir"
as_pg=()
if [ "$(id -u)" = 0 ]; then   # postgres refuses to run as root
  chown nobody "$dir"
  as_pg=(runuser -u nobody --)
fi
cleanup() { "${as_pg[@]}" "$PGBIN/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true; rm -rf "$dir"; }
trap cleanup EXIT

"${as_pg[@]}" "$PGBIN/initdb" -D "$dir/data" -U bench --auth=trust >/dev/null
"${as_pg[@]}" "$PGBIN/pg_ctl" -D "$dir/data" -l "$dir/log" -w start \
  -o "-c fsync=on -c synchronous_commit=on -c full_page_writes=on -c listen_addresses='' -c unix_socket_directories=$dir -c max_connections=64" >/dev/null

psql=(psql -h "$dir" -U bench -d postgres -q -v ON_ERROR_STOP=1)
"${psql[@]}" <<SQL
CREATE TABLE events (
  stream      text        NOT NULL,
  version     bigint      NOT NULL,
  id          uuid        NOT NULL DEFAULT gen_random_uuid(),
  type        text        NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT now(),
  payload     text        NOT NULL,
  UNIQUE (stream, version)
);
SQL

cat > "$dir/append.sql" <<SQL
INSERT INTO events (stream, version, type, payload)
SELECT 'stream-' || :client_id, coalesce(max(version), 0) + 1, 'FileReviewRecorded', repeat('x', $PAYLOAD_BYTES)
FROM events WHERE stream = 'stream-' || :client_id;
SQL
chmod 644 "$dir/append.sql"

echo "PostgreSQL $("$PGBIN/postgres" --version | awk '{print $3}'), fsync on, $CLIENTS clients, $DURATION s, $PAYLOAD_BYTES-byte payloads"
pgbench -h "$dir" -U bench -n -c "$CLIENTS" -j 2 -T "$DURATION" -f "$dir/append.sql" postgres 2>/dev/null | grep -E "^tps|number of transactions actually processed|latency average"
