#!/bin/sh
# Starts or stops the throwaway PostgreSQL server the tests share (CTest fixture "postgres"):
#   postgres_fixture.sh start DIR   initdb in DIR/data, trust authentication, a unix socket in
#                                   DIR and no TCP, fsync off; as root, run as `postgres`
#   postgres_fixture.sh stop DIR    stop it and remove DIR
# Without the PostgreSQL binaries it does nothing and succeeds: the tests then skip their
# PostgreSQL cases, saying why. Tests run outside CTest start their own server instead.
set -eu
action=$1
dir=$2
bin=${OPENNOS_PG_BIN:-}
if [ -z "$bin" ]; then
  for v in 15 16 17; do
    if [ -x "/usr/lib/postgresql/$v/bin/initdb" ]; then bin=/usr/lib/postgresql/$v/bin; break; fi
  done
fi
if [ -z "$bin" ]; then
  echo "postgres fixture: PostgreSQL is not installed; its tests will skip"
  exit 0
fi
as_server() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "$action" in
start)
  if [ -d "$dir/data" ]; then  # left by an interrupted run
    as_server "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$dir"
  fi
  mkdir -p "$dir"
  if [ "$(id -u)" = 0 ]; then chown postgres "$dir"; fi
  as_server "$bin/initdb" -D "$dir/data" -A trust -U postgres -E UTF8 --locale=C --no-sync \
    >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log"; exit 1; }
  as_server "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
    -o "-k $dir -c listen_addresses= -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" \
    start >/dev/null || { cat "$dir/server.log"; exit 1; }
  echo "postgres fixture: serving on the socket in $dir"
  ;;
stop)
  if [ -d "$dir/data" ]; then
    as_server "$bin/pg_ctl" -D "$dir/data" -m fast stop >/dev/null 2>&1 || true
  fi
  rm -rf "$dir"
  ;;
*)
  echo "usage: $0 start|stop DIR" >&2
  exit 2
  ;;
esac
