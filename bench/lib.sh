# shellcheck shell=bash
# bench/lib.sh: helpers shared by the bench scripts (sourced, not run).
#
# Every server a script starts runs under `timeout` on 127.0.0.1 with a free port and is
# stopped by the EXIT trap; every wait is a bounded poll of a condition.

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(dirname "$BENCH_DIR")
OUT=$BENCH_DIR/out
mkdir -p "$OUT"
export PATH="$PATH:/usr/sbin:/sbin"
export DEBIAN_FRONTEND=noninteractive
export LC_ALL=C.UTF-8
# Longest life of any server or client a script starts (seconds).
SERVER_LIFETIME=${SERVER_LIFETIME:-900}

_bg_pids=()

# Stop everything this script started (timeout wrappers forward SIGTERM to their child).
cleanup() {
    local p
    for p in "${_bg_pids[@]}"; do
        kill -TERM "$p" 2>/dev/null
    done
    for p in "${_bg_pids[@]}"; do
        wait "$p" 2>/dev/null
    done
    _bg_pids=()
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Remember a background pid for cleanup.
track() { _bg_pids+=("$1"); }

# Forget a pid that was stopped already.
untrack() {
    local p keep=()
    for p in "${_bg_pids[@]}"; do [ "$p" = "$1" ] || keep+=("$p"); done
    _bg_pids=("${keep[@]}")
}

_apt_updated=
# need CMD PACKAGE: install PACKAGE quietly with apt-get when CMD is missing.
need() {
    command -v "$1" >/dev/null 2>&1 && return 0
    if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
        echo "bench: $1 is missing (install the $2 package)" >&2
        return 1
    fi
    echo "bench: installing $2" >&2
    if ! timeout 600 apt-get install -y -qq "$2" >/dev/null 2>&1; then
        if [ -z "$_apt_updated" ]; then
            timeout 600 apt-get update -qq >/dev/null 2>&1
            _apt_updated=1
        fi
        timeout 600 apt-get install -y -qq "$2" >/dev/null 2>&1
    fi
    command -v "$1" >/dev/null 2>&1 || { echo "bench: could not install $2" >&2; return 1; }
}

# The directory holding the jim-* binaries: $JIM_BIN, else swift's release bin path.
jim_bin_dir() {
    if [ -n "${JIM_BIN:-}" ]; then
        echo "$JIM_BIN"
        return
    fi
    local d=
    if command -v swift >/dev/null 2>&1; then
        d=$(cd "$REPO" && timeout 120 swift build -c release --show-bin-path 2>/dev/null)
    fi
    echo "${d:-$REPO/.build/release}"
}
JIM_BIN=$(jim_bin_dir)

# have_jim TOOL: true when the tool was built.
have_jim() { [ -x "$JIM_BIN/$1" ]; }

# Print the standard skip line for a tool that is not built.
skip_jim() { echo "$1 not built: skipping (looked in $JIM_BIN)"; }

# A free TCP port on 127.0.0.1.
free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# wait_port PORT [TRIES]: poll until something accepts on 127.0.0.1:PORT (100 ms apart).
wait_port() {
    local i tries=${2:-100}
    for ((i = 0; i < tries; i++)); do
        if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then
            return 0
        fi
        sleep 0.1
    done
    echo "bench: nothing listens on 127.0.0.1:$1" >&2
    return 1
}

# wait_file_match FILE REGEX [TRIES]: poll until FILE has a line matching REGEX (50 ms apart).
wait_file_match() {
    local i tries=${3:-200}
    for ((i = 0; i < tries; i++)); do
        grep -Eq -- "$2" "$1" 2>/dev/null && return 0
        sleep 0.05
    done
    return 1
}

# Raise the open-file limit of this shell as far as allowed (65536, else the hard limit).
raise_nofile() {
    ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
}

# start_server LOG CMD ARGS...: run CMD in the background under timeout with a raised fd limit.
# Sets SERVER_WRAPPER (the timeout pid, for stopping) and SERVER_PID (the server itself).
start_server() {
    local log=$1
    shift
    (
        raise_nofile
        exec timeout -k 5 "$SERVER_LIFETIME" "$@"
    ) >"$log" 2>&1 &
    SERVER_WRAPPER=$!
    track "$SERVER_WRAPPER"
    SERVER_PID=
    local i
    for ((i = 0; i < 100; i++)); do
        SERVER_PID=$(pgrep -P "$SERVER_WRAPPER" | head -1)
        [ -n "$SERVER_PID" ] && return 0
        kill -0 "$SERVER_WRAPPER" 2>/dev/null || break
        sleep 0.02
    done
    echo "bench: $1 did not start; log:" >&2
    tail -n 5 "$log" >&2
    return 1
}

# Stop the server started last and wait for it.
stop_server() {
    [ -n "${SERVER_WRAPPER:-}" ] || return 0
    kill -TERM "$SERVER_WRAPPER" 2>/dev/null
    wait "$SERVER_WRAPPER" 2>/dev/null
    untrack "$SERVER_WRAPPER"
    SERVER_WRAPPER=
    SERVER_PID=
}

# rss_kb PID: resident set size in KiB.
rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status" 2>/dev/null; }

# Write a minimal mosquitto 2.x config for 127.0.0.1:PORT to FILE.
mosquitto_conf() {
    cat >"$2" <<EOF
listener $1 127.0.0.1
allow_anonymous true
max_connections -1
persistence false
log_dest stderr
log_type error
log_type warning
log_type notice
log_type information
log_type subscribe
EOF
}

# Build bench/out/loadgen from bench/loadgen.c when missing or stale.
build_loadgen() {
    need cc gcc || return 1
    if [ ! -x "$OUT/loadgen" ] || [ "$BENCH_DIR/loadgen.c" -nt "$OUT/loadgen" ]; then
        cc -O2 -Wall -o "$OUT/loadgen" "$BENCH_DIR/loadgen.c" || return 1
    fi
    LOADGEN=$OUT/loadgen
    export LOADGEN
}

# field KEY LINE: the value of KEY=value in a RESULT line.
field() { sed -n "s/.*[ ]$1=\([^ ]*\).*/\1/p" <<<"$2"; }

# ratio A B: A/B formatted as "4.20x", "-" when either is not a number or B is zero.
ratio() {
    awk -v a="$1" -v b="$2" 'BEGIN { n = "^[0-9]+([.][0-9]+)?$"; if (a !~ n || b !~ n || b + 0 == 0) print "-"; else printf "%.2fx\n", a / b }'
}

# Seconds elapsed since a $EPOCHREALTIME stamp.
since() { awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.4f\n", b - a }'; }

# per_sec COUNT SECONDS: COUNT/SECONDS as an integer.
per_sec() { awk -v n="$1" -v s="$2" 'BEGIN { if (s + 0 > 0) printf "%.0f\n", n / s; else print "-" }'; }
