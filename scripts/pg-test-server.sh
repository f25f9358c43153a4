#!/usr/bin/env bash
# A throw-away PostgreSQL for tests: initdb + postgres in a temporary
# directory, on a private port on 127.0.0.1, run as the `postgres` account when
# started by root (PostgreSQL refuses to run as root).
#
#   scripts/pg-test-server.sh start [DIR]  -> prints the connection URL (last line of stdout)
#   scripts/pg-test-server.sh stop DIR     -> stops the server and removes DIR
#   scripts/pg-test-server.sh bindir       -> prints the server binary directory or fails (exit 3)
#
# DIR defaults to a new mktemp directory; its path is printed on stderr.
set -euo pipefail

find_bindir() {
  if [[ -n "${PG_BINDIR:-}" && -x "$PG_BINDIR/postgres" ]]; then echo "$PG_BINDIR"; return 0; fi
  local d
  for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    if [[ -x "$d/postgres" && -x "$d/initdb" ]]; then echo "$d"; return 0; fi
  done
  if command -v pg_config >/dev/null && [[ -x "$(pg_config --bindir)/postgres" ]]; then pg_config --bindir; return 0; fi
  return 1
}

# Runs a command as the server's owner.
as_owner() {
  if [[ $(id -u) -eq 0 ]]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

free_port() {
  local port
  for _ in $(seq 1 50); do
    port=$(( 20000 + RANDOM % 30000 ))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return 0; fi
  done
  return 1
}

cmd=${1:-}
case "$cmd" in
  bindir)
    find_bindir || { echo "PostgreSQL server binaries not found (install postgresql)" >&2; exit 3; }
    ;;
  start)
    bindir=$(find_bindir) || { echo "PostgreSQL server binaries not found (install postgresql)" >&2; exit 3; }
    dir=${2:-$(mktemp -d /tmp/tautband-pg.XXXXXX)}
    mkdir -p "$dir"
    chmod 0700 "$dir"
    [[ $(id -u) -eq 0 ]] && chown postgres: "$dir"
    password=$(head -c 18 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 20)
    printf '%s\n' "$password" > "$dir/pwfile"
    [[ $(id -u) -eq 0 ]] && chown postgres: "$dir/pwfile"
    port=$(free_port) || { echo "no free port" >&2; exit 1; }
    as_owner "$bindir/initdb" -D "$dir/data" -U tautband --pwfile="$dir/pwfile" --auth=scram-sha-256 \
      -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
    rm -f "$dir/pwfile"
    as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 \
      -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off" start >/dev/null \
      || { cat "$dir/server.log" >&2; exit 1; }
    echo "$port" > "$dir/port"
    PGPASSWORD=$password as_owner env PGPASSWORD="$password" "$bindir/createdb" -h 127.0.0.1 -p "$port" -U tautband tautband_test
    echo "PostgreSQL test server in $dir (stop: $0 stop $dir)" >&2
    echo "postgresql://tautband:${password}@127.0.0.1:${port}/tautband_test"
    ;;
  stop)
    dir=${2:?usage: $0 stop DIR}
    bindir=$(find_bindir) || exit 3
    if [[ -d "$dir/data" ]]; then
      as_owner "$bindir/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    # Only remove what start created (it leaves a port file).
    if [[ -f "$dir/port" ]]; then rm -rf "$dir"; fi
    ;;
  *)
    echo "usage: $0 start [DIR] | stop DIR | bindir" >&2
    exit 2
    ;;
esac
