#!/usr/bin/env bash
# Makes a MySQL/MariaDB server available to the migration integration tests
# and exports its URL as POOLSIDE_TEST_MYSQL_URL. Source it (with-servers.sh
# does) or run it with a command: .ci/ensure-mariadb.sh go test ./migration/...
#
# 1. POOLSIDE_TEST_MYSQL_URL set, or a server answering on 127.0.0.1:3306
#    (root without a password, database test): use it as it is.
# 2. Otherwise, as root: install Debian's mariadb-server when /usr/sbin/mariadbd
#    is absent, start the machine's MariaDB with start-stop-daemon (it is the
#    shared server of this machine, so it keeps running), and make sure
#    root@127.0.0.1 needs no password and database test exists.
# Failure to provide a server is not an error here: the tests skip locally
# and fail under CI=true.

_my_answers() { # host port
  (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null
}

_my_ensure() {
  local default="mysql://root@127.0.0.1:3306/test"
  if [[ -n "${POOLSIDE_TEST_MYSQL_URL:-}" ]]; then
    return 0
  fi
  if _my_answers 127.0.0.1 3306; then
    export POOLSIDE_TEST_MYSQL_URL="$default"
    return 0
  fi
  if [[ "$(id -u)" != 0 ]]; then
    echo "ensure-mariadb: nothing on 127.0.0.1:3306 and not root; MySQL tests will skip (fail under CI=true)" >&2
    return 0
  fi
  if [[ ! -x /usr/sbin/mariadbd ]]; then
    command -v apt-get >/dev/null || { echo "ensure-mariadb: no mariadbd and no apt-get" >&2; return 0; }
    echo "ensure-mariadb: installing Debian's mariadb-server" >&2
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2 &&
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends mariadb-server >&2 || return 0
  fi
  install -d -o mysql -g mysql /run/mysqld 2>/dev/null || mkdir -p /run/mysqld
  if [[ ! -d /var/lib/mysql/mysql ]]; then
    mariadb-install-db --user=mysql --datadir=/var/lib/mysql >/dev/null 2>&1 || return 0
  fi
  echo "ensure-mariadb: starting /usr/sbin/mariadbd" >&2
  start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd -- --user=mysql >&2 || return 0
  local i
  for i in $(seq 1 150); do
    _my_answers 127.0.0.1 3306 && break
    sleep 0.2
  done
  _my_answers 127.0.0.1 3306 || { echo "ensure-mariadb: mariadbd did not answer on 127.0.0.1:3306" >&2; return 0; }
  # a fresh Debian install lets root in through the unix socket only
  mariadb -uroot -e "CREATE USER IF NOT EXISTS 'root'@'127.0.0.1' IDENTIFIED BY '';
    GRANT ALL ON *.* TO 'root'@'127.0.0.1' WITH GRANT OPTION; CREATE DATABASE IF NOT EXISTS test" >&2 || true
  export POOLSIDE_TEST_MYSQL_URL="$default"
  echo "ensure-mariadb: MariaDB on 127.0.0.1:3306" >&2
}

_my_ensure
if [[ "${BASH_SOURCE[0]}" == "$0" && $# -gt 0 ]]; then
  exec "$@"
fi
