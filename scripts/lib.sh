# Shared steps of scripts/start and scripts/test. Every step checks before it acts, so both scripts
# can be run again and again.

PYTHON_BIN=${PYTHON_BIN:-python3.11}
command -v "$PYTHON_BIN" >/dev/null 2>&1 || PYTHON_BIN=python3

say() { printf '\033[1;32m==>\033[0m %s\n' "$*"; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

as_postgres() {
  if [ "$(id -u)" -eq 0 ]; then su postgres -s /bin/sh -c "$1"; else sudo -u postgres sh -c "$1"; fi
}

# ensure_venv REQUIREMENTS_FILE: a virtual environment in .venv with exactly these pins installed.
ensure_venv() {
  local requirements=$1
  if [ ! -x .venv/bin/python ]; then
    say "创建虚拟环境 .venv ($PYTHON_BIN)"
    "$PYTHON_BIN" -m venv .venv
  fi
  local stamp=.venv/.installed-$(basename "$requirements")
  local digest
  digest=$(cat requirements*.txt | sha256sum | cut -d' ' -f1)
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$digest" ]; then
    say "安装 Python 依赖 ($requirements)"
    .venv/bin/python -m pip install --quiet --upgrade pip
    .venv/bin/python -m pip install --quiet -r "$requirements"
    echo "$digest" > "$stamp"
  fi
}

APT_UPDATED=
apt_install() {
  local missing=()
  local package
  for package in "$@"; do
    dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  say "安装系统软件包: ${missing[*]}"
  if [ -z "$APT_UPDATED" ]; then as_root apt-get update -qq; APT_UPDATED=1; fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# ensure_postgres USER PASSWORD DATABASE: a running local PostgreSQL with this role (allowed to create
# the test database) and database.
ensure_postgres() {
  local user=$1 password=$2 database=$3
  apt_install postgresql postgresql-client
  local version
  version=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
  if ! pg_lsclusters -h | awk '{print $1}' | grep -qx "$version"; then
    say "创建 PostgreSQL $version 集群"
    as_root pg_createcluster "$version" main >/dev/null
  fi
  local cluster
  cluster=$(pg_lsclusters -h | awk -v v="$version" '$1 == v {print $2; exit}')
  as_root install -d -o postgres -g postgres -m 2775 /var/run/postgresql
  if ! pg_lsclusters -h | awk -v v="$version" -v c="$cluster" '$1 == v && $2 == c {print $4}' | grep -qx online; then
    say "启动 PostgreSQL $version/$cluster"
    as_root pg_ctlcluster "$version" "$cluster" start
  fi
  local port
  port=$(pg_lsclusters -h | awk -v v="$version" -v c="$cluster" '$1 == v && $2 == c {print $3}')
  for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p "$port" && break; sleep 1; done
  if ! as_postgres "psql -p $port -tAc \"SELECT 1 FROM pg_roles WHERE rolname = '$user'\"" | grep -q 1; then
    as_postgres "psql -p $port -qc \"CREATE ROLE $user LOGIN CREATEDB PASSWORD '$password'\""
  fi
  if ! as_postgres "psql -p $port -tAc \"SELECT 1 FROM pg_database WHERE datname = '$database'\"" | grep -q 1; then
    as_postgres "createdb -p $port -O $user $database"
  fi
  POSTGRES_PORT=$port
}

# ensure_postgres_role ROLE MEMBER: a role without login that MEMBER may switch to (SET ROLE): the tests
# prove with it what the portal's production role (not the tables' owner) may do to the audit trail.
ensure_postgres_role() {
  local role=$1 member=$2
  if ! as_postgres "psql -p $POSTGRES_PORT -tAc \"SELECT 1 FROM pg_roles WHERE rolname = '$role'\"" | grep -q 1; then
    as_postgres "psql -p $POSTGRES_PORT -qc \"CREATE ROLE $role NOLOGIN; GRANT $role TO $member\""
  fi
}

ensure_redis() {
  apt_install redis-server
  if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
    say "启动 Redis"
    redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save '' --appendonly no >/dev/null
    for _ in $(seq 1 20); do redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 && break; sleep 0.5; done
  fi
}

# export_service_settings DATABASE: production-like settings for the tests and benchmarks: DEBUG off,
# the local PostgreSQL database DATABASE, Redis, plain HTTP to the local test servers.
export_service_settings() {
  export DEBUG=false
  export SECRET_KEY=local-test-only-$(printf 'k%.0s' $(seq 1 60))
  export PERSONAL_DATA_KEYS="1:$(printf '%s' test-only-personal-data-key-for-the-test-run | base64 -w0)"
  export DATABASE_URL="postgres://rongjiang:rongjiang@127.0.0.1:${POSTGRES_PORT}/$1"
  export CELERY_BROKER_URL=redis://127.0.0.1:6379/15
  export EMAIL_URL=memorymail://
  export ALLOWED_HOSTS=localhost,127.0.0.1,testserver
  export SECURE_SSL_REDIRECT=false
  export STATIC_MANIFEST=false
  export PORTAL_VAR_DIR="$PWD/var/test"
  export STATIC_ROOT="$PORTAL_VAR_DIR/static"
  export PORTAL_ENV_FILE=/dev/null
  mkdir -p "$PORTAL_VAR_DIR" "$STATIC_ROOT"
}
