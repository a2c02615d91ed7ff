# Shared helpers of the deploy/local scripts (sourced, not run).
# State that must never be committed (logs, pids, Kafka data, the dev key pair) lives in deploy/local/.state.

LOCAL_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT_DIR="$(cd "$LOCAL_DIR/../.." && pwd)"
STATE_DIR="$LOCAL_DIR/.state"
LOG_DIR="$STATE_DIR/logs"
PID_DIR="$STATE_DIR/pids"
KEY_DIR="$STATE_DIR/keys"
mkdir -p "$LOG_DIR" "$PID_DIR"

# name:port:heap:collector[:young generation] of each service. metrics-ingest keeps batches of thousands of records
# in flight, which the serial collector promotes and then collects in full GCs; the parallel collector keeps up with
# it. analytics-query's rollup consumer allocates ~400 MB/s at 50,000 metrics/s and holds each batch for about a
# second: with the collector's own young generation (~100 MB of eden) a young collection ran every 0.2 s, promoted
# every batch in flight and forced a full collection every 1.3 s, half the service's CPU. 800 MB of young generation
# lets batches die young (docs/benchmarks.md, 2026-12-04 night).
SERVICES="metrics-ingest:8081:512m:ParallelGC analytics-query:8082:1200m:ParallelGC:800m realtime-gateway:8083:512m:SerialGC reports-service:8084:256m:SerialGC predictions-service:8085:256m:SerialGC sharing-service:8086:256m:SerialGC"

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# port_open PORT: true when something accepts TCP on 127.0.0.1:PORT.
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# wait_port PORT SECONDS NAME
wait_port() {
  local port=$1 seconds=$2 name=$3 i
  for ((i = 0; i < seconds * 4; i++)); do
    port_open "$port" && return 0
    sleep 0.25
  done
  die "$name did not open 127.0.0.1:$port within ${seconds}s"
}

# ours PID: true when PID runs and belongs to this checkout: its command line names the checkout, or it works in it
# (Redis rewrites its command line but works in .state). A pid file that outlived a reboot may name someone else's
# process by now, which must be neither trusted nor killed.
ours() {
  local pid=$1
  kill -0 "$pid" 2>/dev/null || return 1
  [ -r "/proc/$pid/cmdline" ] || return 0 # no /proc to ask: trust the pid file
  tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF "$ROOT_DIR/" && return 0
  case "$(readlink "/proc/$pid/cwd" 2>/dev/null)/" in "$ROOT_DIR"/*) return 0 ;; esac
  return 1
}

# pid_alive NAME: true when the pid recorded for NAME runs and is ours; a stale pid file is removed.
pid_alive() {
  local f="$PID_DIR/$1.pid"
  [ -f "$f" ] || return 1
  ours "$(cat "$f")" && return 0
  rm -f "$f"
  return 1
}

# stop_pid NAME [SECONDS]: SIGTERM, wait, then SIGKILL; removes the pid file. Only ever a process of ours.
stop_pid() {
  local name=$1 seconds=${2:-30} f="$PID_DIR/$1.pid" pid i
  [ -f "$f" ] || return 0
  pid=$(cat "$f")
  if kill -0 "$pid" 2>/dev/null && ! ours "$pid"; then
    log "the pid file of $name names pid $pid, which is not ours (a stale file): leaving that process alone"
  elif kill -0 "$pid" 2>/dev/null; then
    log "stopping $name (pid $pid)"
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < seconds * 4; i++)); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.25
    done
    if kill -0 "$pid" 2>/dev/null; then
      log "$name ignored SIGTERM for ${seconds}s: killing it"
      kill -KILL "$pid" 2>/dev/null || true
    fi
  fi
  rm -f "$f"
}

# start_daemon NAME LOGFILE CMD...: starts CMD detached from the caller's terminal and pipes, output to LOGFILE.
start_daemon() {
  local name=$1 logfile=$2
  shift 2
  nohup setsid "$@" </dev/null >>"$logfile" 2>&1 &
  echo $! >"$PID_DIR/$name.pid"
}

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    die "need root to run: $* (install it yourself or run as root)"
  fi
}

apt_install() {
  log "installing $* with apt-get"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

mvnw() { "$ROOT_DIR/mvnw" -B -q "$@"; }

# http_status PORT PATH: the HTTP status code of GET http://127.0.0.1:PORT/PATH (bash only: curl may be absent).
http_status() {
  (
    exec 3<>"/dev/tcp/127.0.0.1/$1" || exit 1
    printf 'GET %s HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' "$2" >&3
    IFS=' ' read -r -t 5 _ code _ <&3
    echo "${code:-000}"
  ) 2>/dev/null || echo 000
}

DEV_TOKENS_SRC="$ROOT_DIR/analytics-common/src/test/java/io/workflowanalytics/common/testing/DevTokens.java"
# dev_tokens ARGS...: the dev key pair and token minting (the same code the tests use), run as a single-file program.
dev_tokens() { java "$DEV_TOKENS_SRC" "$KEY_DIR" "$@"; }
