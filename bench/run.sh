#!/usr/bin/env bash
# Tollway beside nginx and Portkey, in one run, against one fake LLM provider; prints one table.
#
#   bench/run.sh [--quick] [--targets nginx,tollway,portkey] [--profile] [--wait-idle SECONDS]
#                [--max-steal PERCENT] [--keep-tmp]
#
#   --quick     a few seconds per measurement (about 5 minutes in all) instead of the full run (about 30)
#   --targets   which gateways to measure besides the direct baseline (default: all three)
#   --profile   also record async-profiler flame graphs of the Tollway JVMs during their saturation run
#   --wait-idle before each measurement, wait up to SECONDS for other processes on the machine to go quiet
#   --max-steal repeat a fixed-rate or streaming measurement while the host took more than PERCENT of the
#               cores during it (steal); of 3 tries, the least disturbed is kept; the table shows the tries
#   --keep-tmp  keep the temporary folder (configs, data) for a look afterwards
#
# Method, caveats and results: docs/benchmarks.md. Raw outputs and logs go to bench/results/<time>/.
# Every process the script starts runs in its own process group and is stopped on exit, Ctrl-C included.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH="$ROOT/bench"

usage() { sed -n '2,16p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }

# ---------------------------------------------------------------------------------------------------------
# options

QUICK=false
TARGETS="nginx,tollway,portkey"
PROFILE=false
KEEP_TMP=false
WAIT_IDLE=0
MAX_STEAL=""
while (($#)); do
  case "$1" in
    --quick) QUICK=true ;;
    --targets) shift; TARGETS="${1:?--targets: missing value (expected: e.g. nginx,tollway)}" ;;
    --targets=*) TARGETS="${1#*=}" ;;
    --profile) PROFILE=true ;;
    --keep-tmp) KEEP_TMP=true ;;
    --wait-idle) shift; WAIT_IDLE="${1:?--wait-idle: missing value (expected: seconds)}" ;;
    --max-steal) shift; MAX_STEAL="${1:?--max-steal: missing value (expected: a percentage)}" ;;
    -h|--help) usage; exit 0 ;;
    *) echo "bench: $1: unknown option" >&2; usage >&2; exit 2 ;;
  esac
  shift
done
for t in ${TARGETS//,/ }; do
  case "$t" in nginx|tollway|portkey) ;; *) echo "bench: --targets: '$t' (expected: nginx, tollway, portkey)" >&2; exit 2 ;; esac
done
[[ "$WAIT_IDLE" =~ ^[0-9]+$ ]] || { echo "bench: --wait-idle: '$WAIT_IDLE' (expected: seconds)" >&2; exit 2; }
[[ -z "$MAX_STEAL" || "$MAX_STEAL" =~ ^[0-9]+(\.[0-9]+)?$ ]] ||
  { echo "bench: --max-steal: '$MAX_STEAL' (expected: a percentage, such as 2)" >&2; exit 2; }
STEAL_TRIES=3
wants() { [[ ",$TARGETS," == *",$1,"* ]]; }

# Load shapes (stated in docs/benchmarks.md). Saturation: wrk, 1 thread, 32 connections. Fixed rates, each
# twice: paced by wrk (chat.lua with BENCH_RATE: arrivals spread evenly over the connections), then in bursts
# by hey (workers x per-worker rate; hey starts its workers' tickers together, so each tick sends one request
# per worker at once). Both on as many keep-alive connections as hey has workers.
WRK_THREADS=1
WRK_CONNECTIONS=32
RATE_LOW=1000; RATE_LOW_WORKERS=20   # hey: 20 x 50/s, 20 requests at once every 20 ms
RATE_HIGH=5000; RATE_HIGH_WORKERS=50 # hey: 50 x 100/s, 50 requests at once every 10 ms
CHUNK_DELAY_MS=1                     # between the fake's stream events, so a buffering proxy shows
JIT_QUIET_PERCENT=2                  # warm-up ends when the JVMs' compiler threads use at most this share
JIT_QUIET_STEPS=2                    # ... of their JVM's CPU in this many 5-second steps in a row
if $QUICK; then
  WARMUP=5; WARMUP_REQUESTS=20000; WARMUP_MAX=20; SATURATION=5; RATE_SECONDS=5
  TTFT_REQUESTS=200; TTFT_WARMUP=50; TTFT_WARMUP_MAX=10; ROUTE_RUNS=3; SETTLE_MAX=15
else
  WARMUP=15; WARMUP_REQUESTS=200000; WARMUP_MAX=300; SATURATION=15; RATE_SECONDS=30
  TTFT_REQUESTS=2000; TTFT_WARMUP=300; TTFT_WARMUP_MAX=300; ROUTE_RUNS=7; SETTLE_MAX=60
fi

# JVM flags (override to experiment). G1 is the JVM's default collector on this machine.
FAKE_JAVA_OPTS="${BENCH_FAKE_JAVA_OPTS:--Xms256m -Xmx256m}"
EDGE_JAVA_OPTS="${BENCH_EDGE_JAVA_OPTS:--Xms256m -Xmx256m}"
PIPELINE_JAVA_OPTS="${BENCH_PIPELINE_JAVA_OPTS:--Xmx512m}"
PORTKEY_VERSION=1.15.2
API_KEY="sk-bench-not-a-real-key"

# ---------------------------------------------------------------------------------------------------------
# output, processes, clean-up

log() { printf '[bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { # prints what was measured so far, then stops (the EXIT trap cleans up)
  log "ERROR: $*"
  if [[ "$(declare -p R 2>/dev/null)" == "declare -A"* ]] && ((${#R[@]})); then
    log "the table so far:"; print_table | tee "$RESULTS/table-partial.md"
  fi
  exit 1
}

STARTED_GROUPS=()   # process groups started by this script, in start order
SAMPLER_PID=""
TMP=""

stop_group() { # stop_group PGID: TERM, then KILL after 20 s
  local pgid="$1" i
  [[ -n "$pgid" && "$pgid" != "$(ps -o pgid= -p $$ | tr -d ' ')" ]] || return 0
  kill -TERM -- "-$pgid" 2>/dev/null || return 0
  for ((i = 0; i < 200; i++)); do
    kill -0 -- "-$pgid" 2>/dev/null || return 0
    sleep 0.1
  done
  log "process group $pgid did not stop in 20 s; killing it"
  kill -KILL -- "-$pgid" 2>/dev/null || true
}

forget_group() { # forget_group PGID: after stop_group, drop it from the clean-up list
  local kept=() g
  for g in "${STARTED_GROUPS[@]}"; do [[ "$g" == "$1" ]] || kept+=("$g"); done
  STARTED_GROUPS=("${kept[@]}")
}

cleanup() {
  local status=$? i
  trap - EXIT INT TERM
  [[ -n "$SAMPLER_PID" ]] && kill "$SAMPLER_PID" 2>/dev/null
  $PIPELINE_STOPPED && kill -CONT -- "-$PIPELINE_GROUP" 2>/dev/null
  for ((i = ${#STARTED_GROUPS[@]} - 1; i >= 0; i--)); do stop_group "${STARTED_GROUPS[i]}"; done
  if [[ -n "$TMP" && -d "$TMP" ]]; then
    if $KEEP_TMP; then log "kept $TMP"; else rm -rf "$TMP"; fi
  fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# start NAME LOGFILE COMMAND...: runs COMMAND in a new session (its own process group, whose id is the
# command's pid: setsid does not fork in a shell without job control); sets LAST_GROUP
LAST_GROUP=""
start() {
  local name="$1" logfile="$2"; shift 2
  setsid "$@" >"$logfile" 2>&1 < /dev/null &
  LAST_GROUP=$!
  STARTED_GROUPS+=("$LAST_GROUP")
  log "started $name (process group $LAST_GROUP; log ${logfile#"$ROOT/"})"
}

USED_PORTS=" "
FREE_PORT=""
free_port() { # sets FREE_PORT to a port nothing listens on (and that this script has not handed out)
  local port _
  for _ in $(seq 1 200); do
    port=$((20000 + RANDOM % 12000)) # below the ephemeral range (32768-), where clients' own ports come from
    [[ "$USED_PORTS" == *" $port "* ]] && continue
    if [[ -z "$(ss -Htan "sport = :$port")" ]]; then USED_PORTS+="$port "; FREE_PORT=$port; return; fi
  done
  die "no free TCP port found"
}

wait_until() { # wait_until SECONDS DESCRIPTION COMMAND...: polls COMMAND every 0.2 s
  local seconds="$1" what="$2"; shift 2
  local deadline=$((SECONDS + seconds))
  until "$@" >/dev/null 2>&1; do
    ((SECONDS < deadline)) || die "$what: not ready after ${seconds} s"
    sleep 0.2
  done
}

http_code() { # http_code URL BODYFILE [HEADER...]
  local url="$1" body="$2"; shift 2
  local args=() h
  for h in "$@"; do args+=(-H "$h"); done
  curl -s -o /dev/null -w '%{http_code}' --max-time 10 -X POST -H 'Content-Type: application/json' \
    "${args[@]}" --data-binary "@$body" "$url" || true
}
answers_200() { [[ "$(http_code "$@")" == 200 ]]; }

# ---------------------------------------------------------------------------------------------------------
# CPU and memory accounting (from /proc; clock ticks of CLK_TCK per second)

CLK_TCK="$(getconf CLK_TCK)"

group_ticks() { # group_ticks PGID...: utime+stime of every process in these process groups (all threads)
  (($#)) || { echo 0; return; }
  local total=0 pid line f
  for pid in $(pgrep -g "$(IFS=,; echo "$*")"); do
    { line="$(<"/proc/$pid/stat")"; } 2>/dev/null || continue # the process may have ended meanwhile
    # after "(command) ": state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime
    read -r -a f <<<"${line##*) }"
    total=$((total + f[11] + f[12]))
  done
  echo "$total"
}

us_per_request() { # us_per_request TICKS REQUESTS: CPU microseconds per request
  awk -v t="$1" -v n="$2" -v tck="$CLK_TCK" 'BEGIN { printf "%.0f", t / tck * 1e6 / n }'
}

# user, nice, system, irq, softirq: what this machine's processes and kernel ran (steal is the host's, below)
machine_busy_ticks() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8; exit }' /proc/stat; }

# Steal: time the hypervisor gave this machine's virtual cores to someone else while they had work. A host
# that takes CPU delays every wake-up on the request's path; latency rows of runs with and without steal do
# not compare. steal_from KEY starts a measurement's account, steal_to KEY ends it: R[KEY.steal] = % of the
# cores' time.
steal_ticks() { awk '/^cpu / { print $9; exit }' /proc/stat; }
declare -A STEAL_START=()
steal_from() { STEAL_START[$1]="$(steal_ticks) $EPOCHREALTIME"; }
steal_to() {
  local t0 w0
  read -r t0 w0 <<<"${STEAL_START[$1]}"
  R[$1.steal]="$(awk -v d=$(($(steal_ticks) - t0)) -v w0="$w0" -v w1="$EPOCHREALTIME" -v tck="$CLK_TCK" \
      -v n="$(nproc)" 'BEGIN { printf "%.1f", 100 * d / tck / (w1 - w0) / n }')"
}

# with_steal_tries KEY DESCRIPTION OUTFILE COMMAND...: runs COMMAND, which writes OUTFILE, with its steal
# accounted under KEY; with --max-steal, again while the host took more than that, up to STEAL_TRIES in all,
# and then keeps the try it disturbed least (OUTFILE and R[KEY.steal] are that try's). R[KEY.tries] = how many.
with_steal_tries() {
  local key="$1" what="$2" file="$3" try best="" best_steal=""; shift 3
  for ((try = 1; ; try++)); do
    steal_from "$key"
    "$@"
    steal_to "$key"
    R[$key.tries]=$try
    [[ -n "$MAX_STEAL" ]] || return 0
    awk -v s="${R[$key.steal]}" -v m="$MAX_STEAL" 'BEGIN { exit !(s <= m) }' && return 0
    cp "$file" "$file.try$try"
    if [[ -z "$best" ]] || awk -v s="${R[$key.steal]}" -v b="$best_steal" 'BEGIN { exit !(s < b) }'; then
      best=$try; best_steal="${R[$key.steal]}"
    fi
    if ((try == STEAL_TRIES)); then
      cp "$file.try$best" "$file"; R[$key.steal]="$best_steal"
      log "$what: the host took more than $MAX_STEAL % in all $try tries; keeping try $best ($best_steal %)"
      return 0
    fi
    log "$what: the host took ${R[$key.steal]} % of the cores (more than $MAX_STEAL %); measuring again"
    settle
  done
}

CHILD_TICKS=0
children_cpu_ticks() { # sets CHILD_TICKS: CPU of this shell's finished children (the load generators)
  # `times` must run in this shell, not in $(...): a subshell has children of its own
  times >"$TMP/times"
  CHILD_TICKS="$(tail -n 1 "$TMP/times" | awk -v tck="$CLK_TCK" '{
      total = 0
      for (i = 1; i <= 2; i++) { v = $i; sub(/s$/, "", v); split(v, p, "m"); total += p[1] * 60 + p[2] }
      printf "%d\n", total * tck }')"
}

listening_pids() { # listening_pids PORT: the processes holding the listening socket
  ss -Htlnp "sport = :$1" | grep -o 'pid=[0-9]*' | cut -d= -f2 | sort -u
}

rss_kb() { # rss_kb PID...: summed VmRSS
  local total=0 pid v
  for pid in "$@"; do
    v="$(awk '/^VmRSS:/ { print $2 }' "/proc/$pid/status" 2>/dev/null || true)"
    total=$((total + ${v:-0}))
  done
  echo "$total"
}

jit_ticks() { # jit_ticks PID...: "pid:compiler_ticks:all_ticks" per JVM (compiler = its C1/C2 compiler threads)
  local pid task line f comp all
  for pid in "$@"; do
    comp=0; all=0
    for task in /proc/"$pid"/task/*; do
      { line="$(<"$task/stat")"; } 2>/dev/null || continue # threads come and go
      read -r -a f <<<"${line##*) }"
      all=$((all + f[11] + f[12]))
      [[ "${line#*(}" == C[12]" CompilerThre"* ]] && comp=$((comp + f[11] + f[12]))
    done
    printf '%s:%s:%s ' "$pid" "$comp" "$all"
  done
}

jit_busiest() { # jit_busiest BEFORE AFTER (jit_ticks outputs): "P % (pid N)", the largest share of a JVM's CPU
                # its compiler threads took in between ("0 % (no JVM)" without one)
  awk -v a="$1" -v b="$2" 'BEGIN {
      n = split(a, x, " "); for (i = 1; i <= n; i++) { split(x[i], p, ":"); c0[p[1]] = p[2]; t0[p[1]] = p[3] }
      n = split(b, y, " "); best = 0; who = "no JVM"
      for (i = 1; i <= n; i++) {
        split(y[i], p, ":"); dt = p[3] - t0[p[1]]; dc = p[2] - c0[p[1]]
        share = dt > 0 ? 100 * dc / dt : 0; if (share < 0) share = 0
        if (who == "no JVM" || share > best) { best = share; who = "pid " p[1] }
      }
      printf "%.1f %% (%s)", best, who }'
}

settle() { # wait until the started processes use less than 15 % of a core over a second (and, with
            # --wait-idle, until everything else on the machine uses less than 25 % of a core)
  local i a b m0 m1
  for ((i = 0; i < SETTLE_MAX; i++)); do
    a="$(group_ticks "${STARTED_GROUPS[@]}")"; sleep 1; b="$(group_ticks "${STARTED_GROUPS[@]}")"
    (((b - a) * 100 < 15 * CLK_TCK)) && break
  done
  ((i < SETTLE_MAX)) || log "still busy after ${SETTLE_MAX} s (usage-streams catching up?); measuring anyway"
  ((WAIT_IDLE > 0)) || return 0
  for ((i = 0; i < WAIT_IDLE; i++)); do
    a="$(group_ticks "${STARTED_GROUPS[@]}")"; m0="$(machine_busy_ticks)"; sleep 1
    b="$(group_ticks "${STARTED_GROUPS[@]}")"; m1="$(machine_busy_ticks)"
    (((m1 - m0 - (b - a)) * 100 < 25 * CLK_TCK)) && return 0
    ((i % 30 == 0)) && log "waiting for the machine to be quiet (others use $(((m1 - m0 - (b - a)) * 100 / CLK_TCK)) % of a core)"
  done
  log "the machine stayed busy for ${WAIT_IDLE} s; measuring anyway (see the 'outside the benchmark' row)"
}

# ---------------------------------------------------------------------------------------------------------
# load generators

to_ms() { # wrk's "1.23ms" / "456.00us" / "1.20s" -> milliseconds
  awk -v v="$1" 'BEGIN {
      if (v ~ /us$/) { sub(/us$/, "", v); printf "%.3f", v / 1000 }
      else if (v ~ /ms$/) { sub(/ms$/, "", v); printf "%.3f", v }
      else if (v ~ /s$/) { sub(/s$/, "", v); printf "%.3f", v * 1000 }
      else printf "?" }'
}

# run_wrk OUTFILE SECONDS URL [HEADER...]: flat out on WRK_CONNECTIONS connections
run_wrk() {
  local out="$1" seconds="$2" url="$3"; shift 3
  wrk_with "$out" "$seconds" "$WRK_CONNECTIONS" "" "$url" "$@"
}

# run_paced OUTFILE RATE CONNECTIONS URL [HEADER...]: RATE requests a second, evenly spread, for RATE_SECONDS
run_paced() {
  local out="$1" rate="$2" connections="$3" url="$4"; shift 4
  wrk_with "$out" "$RATE_SECONDS" "$connections" "$rate" "$url" "$@"
}

wrk_with() { # wrk_with OUTFILE SECONDS CONNECTIONS RATE|"" URL [HEADER...]
  local out="$1" seconds="$2" connections="$3" rate="$4" url="$5"; shift 5
  local args=() h
  for h in "$@"; do args+=(-H "$h"); done
  BENCH_BODY="$BENCH/body.json" BENCH_RATE="$rate" wrk -t"$WRK_THREADS" -c"$connections" -d"${seconds}s" \
    --latency -s "$BENCH/chat.lua" "${args[@]}" "$url" >"$out" 2>&1 || die "wrk failed: $(tail -n 3 "$out")"
}

wrk_field() { # wrk_field FILE requests|rps|p50|p99|errors
  case "$2" in
    requests) awk '/requests in/ { print $1 }' "$1" ;;
    rps) awk '/^Requests\/sec:/ { printf "%.0f", $2 }' "$1" ;;
    p50) to_ms "$(awk '$1 == "50%" { print $2 }' "$1")" ;;
    p99) to_ms "$(awk '$1 == "99%" { print $2 }' "$1")" ;;
    errors) awk '/Non-2xx or 3xx responses:/ { n += $NF } /Socket errors:/ {
                  for (i = 1; i <= NF; i++) if ($i ~ /^[0-9]+,?$/) { v = $i; sub(/,/, "", v); n += v } }
                END { print n + 0 }' "$1" ;;
  esac
}

wrk_results() { # wrk_results KEY FILE: R[KEY.rps], R[KEY.p50], R[KEY.p99], R[KEY.errors] from a wrk report
  local field
  for field in rps p50 p99 errors; do R[$1.$field]="$(wrk_field "$2" "$field")"; done
}

# run_hey OUTCSV RATE WORKERS URL [HEADER...]: each worker limited to RATE/WORKERS per second; hey starts the
# workers' tickers together, so each tick sends WORKERS requests at once
run_hey() {
  local out="$1" rate="$2" workers="$3" url="$4"; shift 4
  local args=() h
  for h in "$@"; do args+=(-H "$h"); done
  hey -z "${RATE_SECONDS}s" -c "$workers" -q $((rate / workers)) -m POST -T application/json \
    -D "$BENCH/body.json" "${args[@]}" -o csv "$url" >"$out" 2>"$out.err" || die "hey failed: $(tail -n 3 "$out.err")"
}

hey_stats() { # hey_stats CSV: "achieved_rps p50_ms p99_ms errors" (hey records 0.1 ms steps)
  tail -n +2 "$1" | awk -F, '{ print $1 * 1000 }' | sort -g >"$1.sorted.tmp"
  local n errors
  n="$(tail -n +2 "$1" | wc -l)"
  errors="$(tail -n +2 "$1" | awk -F, '$7 != 200 { e++ } END { print e + 0 }')"
  if ((n == 0)); then echo "0 ? ? 0"; rm -f "$1.sorted.tmp"; return; fi
  awk -v n="$n" -v secs="$RATE_SECONDS" -v errors="$errors" '
      { v[NR] = $1 }
      END {
        i50 = int(0.50 * n + 0.999999); i99 = int(0.99 * n + 0.999999)
        printf "%.0f %.1f %.1f %d\n", n / secs, v[i50], v[i99], errors }' "$1.sorted.tmp"
  rm -f "$1.sorted.tmp"
}

# ---------------------------------------------------------------------------------------------------------
# results: R[<target>.<metric>] = value

declare -A R
declare -A GATEWAY_GROUP   # target -> process group (CPU accounting)
declare -A GATEWAY_PORT    # target -> listening port (RSS)

# path_jvms TARGET: the JVMs on TARGET's request path (the gateway's, the fake's and, for Tollway, the pipeline's)
path_jvms() {
  local pid pipeline_jvm=""
  [[ "$1" == tollway ]] && pipeline_jvm="$PIPELINE_PID"
  for pid in "${GATEWAY_GROUP[$1]:-}" "$FAKE_GROUP" $pipeline_jvm; do
    [[ -n "$pid" && "$(cat "/proc/$pid/comm" 2>/dev/null)" == java ]] && echo "$pid"
  done
}

# warm_up TARGET LOG MIN_SECONDS MAX_SECONDS STEP [JVM_PID...]: calls STEP (one warm-up step; it returns non-zero
# while it wants more steps of its own, and may set WARM_NOTE for the log) until MIN_SECONDS have passed, STEP is
# content, and the JVMs' JIT compiler threads used at most JIT_QUIET_PERCENT of their JVM's CPU in
# JIT_QUIET_STEPS steps in a row (one quiet step was seen followed by C2 compiling again during the measurement);
# at most MAX_SECONDS. Each step's busiest compiler share goes to LOG. Sets WARM_SECONDS and WARM_JIT.
warm_up() {
  local target="$1" logfile="$2" min="$3" max="$4" step_fn="$5"; shift 5
  local jvms=("$@") start=$SECONDS quiet=0 steps=0 content state now
  state="$(jit_ticks "${jvms[@]}")"
  while :; do
    steps=$((steps + 1)); WARM_NOTE=""
    if "$step_fn"; then content=true; else content=false; fi
    now="$(jit_ticks "${jvms[@]}")"
    WARM_JIT="$(jit_busiest "$state" "$now")"; state="$now"
    echo "step $steps: ${WARM_NOTE:+$WARM_NOTE, }$((SECONDS - start)) s, busiest JIT: $WARM_JIT" >>"$logfile"
    if awk -v s="${WARM_JIT%% *}" -v q="$JIT_QUIET_PERCENT" 'BEGIN { exit !(s <= q) }'; then
      quiet=$((quiet + 1))
    else
      quiet=0
    fi
    WARM_SECONDS=$((SECONDS - start))
    ((WARM_SECONDS >= min && quiet >= JIT_QUIET_STEPS)) && $content && break
    if ((WARM_SECONDS >= max)); then
      log "$target: the JIT was still compiling after ${max} s ($WARM_JIT); measuring anyway"
      break
    fi
  done
}

# measure TARGET URL [HEADER...]: warm-up, saturation (+ RSS and CPU), then the two fixed rates
measure() {
  local target="$1" url="$2"; shift 2
  local headers=("$@") out="$RESULTS/$target"
  local code
  code="$(http_code "$url" "$BENCH/body.json" "${headers[@]}")"
  [[ "$code" == 200 ]] || die "$target: a test request answered $code, not 200"

  settle
  # Warm-up until both WARMUP seconds and WARMUP_REQUESTS requests have passed (the JIT compilers of the JVMs
  # need requests, not seconds: on a busy machine 15 s can be too few) and then until the JIT compilers of the
  # JVMs on the request's path are quiet (warm_up). For Tollway that includes the pipeline JVM: the broker and
  # Kafka Streams are a large body of code whose compiler threads were seen busy long after edge-proxy's had
  # gone quiet, taking the shared cores from the request's path.
  local warm_requests=0 step=0
  wrk_warmup_step() {
    step=$((step + 1))
    run_wrk "$out-warmup-$step.txt" 5 "$url" "${headers[@]}"
    warm_requests=$((warm_requests + $(wrk_field "$out-warmup-$step.txt" requests)))
    WARM_NOTE="$warm_requests requests"
    ((warm_requests >= WARMUP_REQUESTS))
  }
  warm_up "$target" "$out-warmup.log" "$WARMUP" "$WARMUP_MAX" wrk_warmup_step $(path_jvms "$target")
  log "$target: warmed up with $warm_requests requests in $WARM_SECONDS s (wrk, not recorded; last step's busiest JIT: $WARM_JIT)"
  R[$target.warmup]="$warm_requests in $WARM_SECONDS s"
  settle

  log "$target: saturation ${SATURATION} s (wrk -t$WRK_THREADS -c$WRK_CONNECTIONS)"
  local pids=() gw_group="${GATEWAY_GROUP[$target]:-}" port="${GATEWAY_PORT[$target]:-}" pipeline=""
  [[ -n "$port" ]] && mapfile -t pids < <(listening_pids "$port")
  [[ "$target" == tollway ]] && pipeline="$PIPELINE_PID"
  if ((${#pids[@]})); then # resident memory twice a second: "gateway_kB pipeline_kB"
    ( while :; do echo "$(rss_kb "${pids[@]}") $(rss_kb $pipeline)"; sleep 0.5; done ) >"$out-rss.txt" &
    SAMPLER_PID=$!
  fi
  if $PROFILE && [[ "$target" == tollway ]]; then profiler start; fi
  local t_gw0 t_fake0 t_pipe0 t_all0 t_gen0 busy0 wall0 t_gw1 t_fake1 t_pipe1 t_all1 t_gen1 busy1 wall1
  t_gw0="$(group_ticks $gw_group)"; t_fake0="$(group_ticks "$FAKE_GROUP")"; t_pipe0="$(group_ticks $pipeline)"
  t_all0="$(group_ticks "${STARTED_GROUPS[@]}")"; children_cpu_ticks; t_gen0=$CHILD_TICKS
  busy0="$(machine_busy_ticks)"; wall0="$EPOCHREALTIME"; steal_from "$target.sat"
  run_wrk "$out-saturation.txt" "$SATURATION" "$url" "${headers[@]}"
  steal_to "$target.sat"
  t_gw1="$(group_ticks $gw_group)"; t_fake1="$(group_ticks "$FAKE_GROUP")"; t_pipe1="$(group_ticks $pipeline)"
  t_all1="$(group_ticks "${STARTED_GROUPS[@]}")"; children_cpu_ticks; t_gen1=$CHILD_TICKS
  busy1="$(machine_busy_ticks)"; wall1="$EPOCHREALTIME"
  if $PROFILE && [[ "$target" == tollway ]]; then profiler stop; fi
  if [[ -n "$SAMPLER_PID" ]]; then kill "$SAMPLER_PID" 2>/dev/null; wait "$SAMPLER_PID" 2>/dev/null || true; SAMPLER_PID=""; fi

  local requests
  requests="$(wrk_field "$out-saturation.txt" requests)"
  wrk_results "$target.sat" "$out-saturation.txt"
  if ((${#pids[@]})); then
    R[$target.rss]="$(awk '$1 > m { m = $1 } END { printf "%.0f", m / 1024 }' "$out-rss.txt")"
    [[ -n "$pipeline" ]] && R[$target.pipeline_rss]="$(awk '$2 > m { m = $2 } END { printf "%.0f", m / 1024 }' "$out-rss.txt")"
  fi
  [[ -n "$gw_group" ]] && R[$target.cpu_us]="$(us_per_request $((t_gw1 - t_gw0)) "$requests")"
  [[ -n "$pipeline" ]] && R[$target.pipeline_cpu_us]="$(us_per_request $((t_pipe1 - t_pipe0)) "$requests")"
  R[$target.fake_cpu_us]="$(us_per_request $((t_fake1 - t_fake0)) "$requests")"
  R[$target.gen_cpu_us]="$(us_per_request $((t_gen1 - t_gen0)) "$requests")"
  # what the machine spent outside this benchmark (other users' builds ...), in % of both cores
  R[$target.other_cpu]="$(awk -v busy=$((busy1 - busy0)) -v ours=$((t_all1 - t_all0 + t_gen1 - t_gen0)) \
      -v secs="$(awk -v a="$wall0" -v b="$wall1" 'BEGIN { print b - a }')" -v tck="$CLK_TCK" 'BEGIN { o = (busy - ours) / tck / secs / 2 * 100; if (o < 0) o = 0; printf "%.0f", o }')"

  local rate workers
  for rate in "$RATE_LOW" "$RATE_HIGH"; do
    workers=$RATE_LOW_WORKERS; ((rate == RATE_HIGH)) && workers=$RATE_HIGH_WORKERS
    settle
    log "$target: ${rate} req/s paced for ${RATE_SECONDS} s (wrk -c $workers, chat.lua with BENCH_RATE=$rate)"
    with_steal_tries "$target.r$rate" "$target: $rate req/s paced" "$out-paced$rate.txt" \
      run_paced "$out-paced$rate.txt" "$rate" "$workers" "$url" "${headers[@]}"
    wrk_results "$target.r$rate" "$out-paced$rate.txt"
    settle
    log "$target: ${rate} req/s in bursts for ${RATE_SECONDS} s (hey -c $workers -q $((rate / workers)))"
    with_steal_tries "$target.b$rate" "$target: $rate req/s in bursts" "$out-bursts$rate.csv" \
      run_hey "$out-bursts$rate.csv" "$rate" "$workers" "$url" "${headers[@]}"
    read -r R[$target.b$rate.rps] R[$target.b$rate.p50] R[$target.b$rate.p99] R[$target.b$rate.errors] \
      <<<"$(hey_stats "$out-bursts$rate.csv")"
  done
}

# proxy_alone URL [HEADER...]: Tollway at saturation and at the low rate (paced) with the pipeline JVM (broker,
# config-service, usage-streams) stopped by SIGSTOP during each run: edge-proxy alone on the two cores, as when
# the pipeline runs on other machines in a cluster. edge-proxy keeps the usage events meanwhile (its producer,
# then its queue and spool) and delivers them when the pipeline goes on; the next run starts once usage-streams
# has committed them all and the machine is quiet again.
proxy_alone() {
  local url="$1"; shift
  local out="$RESULTS/tollway-alone" gw="${GATEWAY_GROUP[tollway]}" t0 t1 requests
  settle
  log "tollway with the pipeline JVM paused: saturation ${SATURATION} s (wrk -t$WRK_THREADS -c$WRK_CONNECTIONS)"
  pipeline_signal STOP
  t0="$(group_ticks "$gw")"; steal_from alone.sat
  run_wrk "$out-saturation.txt" "$SATURATION" "$url" "$@"
  steal_to alone.sat; t1="$(group_ticks "$gw")"
  pipeline_signal CONT
  requests="$(wrk_field "$out-saturation.txt" requests)"
  wrk_results alone.sat "$out-saturation.txt"
  R[alone.cpu_us]="$(us_per_request $((t1 - t0)) "$requests")"
  wait_for_usage
  settle
  log "tollway with the pipeline JVM paused: ${RATE_LOW} req/s paced for ${RATE_SECONDS} s (wrk -c $RATE_LOW_WORKERS)"
  pipeline_signal STOP
  with_steal_tries "alone.r$RATE_LOW" "tollway with the pipeline JVM paused: $RATE_LOW req/s paced" \
    "$out-paced$RATE_LOW.txt" run_paced "$out-paced$RATE_LOW.txt" "$RATE_LOW" "$RATE_LOW_WORKERS" "$url" "$@"
  pipeline_signal CONT
  wrk_results "alone.r$RATE_LOW" "$out-paced$RATE_LOW.txt"
  wait_for_usage
}

PIPELINE_STOPPED=false
pipeline_signal() { # pipeline_signal STOP|CONT: pause or resume the pipeline JVM's process group
  kill -"$1" -- "-$PIPELINE_GROUP" || die "could not send SIG$1 to the pipeline (process group $PIPELINE_GROUP)"
  if [[ "$1" == STOP ]]; then PIPELINE_STOPPED=true; else PIPELINE_STOPPED=false; fi
}

# wait_for_usage: until edge-proxy holds no usage event (queue, spool) and usage-streams has committed every one
# (UsageBacklogProbe: the topic's end offsets against the group's committed offsets)
wait_for_usage() {
  edge_holds_none() {
    curl -fsS "http://127.0.0.1:$TOLLWAY_ADMIN/metrics" |
      awk '/^tollway_usage_(queue_depth|spool_events)[ {]/ { s += $NF; n++ } END { exit !(n == 2 && s == 0) }'
  }
  wait_until 300 "edge-proxy delivering the usage events it kept while the pipeline was paused" edge_holds_none
  java -Xmx64m -cp "$PROBE_CP:$(classpath)" UsageBacklogProbe --bootstrap "$TOLLWAY_BOOTSTRAP" \
    --topic tollway.usage.v1 --group tollway-usage-streams --seconds 300 >"$RESULTS/tollway-alone-backlog.txt" 2>&1 ||
    die "usage-streams still behind after 300 s: $(tail -n 1 "$RESULTS/tollway-alone-backlog.txt")"
}

# ---------------------------------------------------------------------------------------------------------
# the servers

FAKE_GROUP=""; FAKE_PORT=""
PIPELINE_GROUP=""; PIPELINE_PID=""

classpath() { echo "$ROOT/local/target/classes:$(cat "$ROOT/local/target/tollway-local.classpath")"; }

start_fake() {
  free_port; FAKE_PORT=$FREE_PORT
  # shellcheck disable=SC2086
  start "fake provider" "$RESULTS/fake-provider.log" java $FAKE_JAVA_OPTS -cp "$(classpath)" \
    dev.tollway.local.fake.FakeProviderServer --port "$FAKE_PORT" --max-recorded 0
  FAKE_GROUP=$LAST_GROUP
  wait_until 60 "fake provider" answers_200 "http://127.0.0.1:$FAKE_PORT/v1/chat/completions" "$BENCH/body.json" \
    "Authorization: Bearer $API_KEY"
}

start_nginx() {
  local dir="$TMP/nginx" port
  free_port; port=$FREE_PORT
  mkdir -p "$dir/tmp"
  local user_line=""
  [[ "$(id -u)" == 0 ]] && user_line="user root;"
  cat >"$dir/nginx.conf" <<EOF
# written by bench/run.sh: a plain reverse proxy with keep-alive to the upstream
$user_line
worker_processes auto;
pid $dir/nginx.pid;
error_log $dir/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $dir/tmp/body;
  proxy_temp_path $dir/tmp/proxy;
  fastcgi_temp_path $dir/tmp/fastcgi;
  uwsgi_temp_path $dir/tmp/uwsgi;
  scgi_temp_path $dir/tmp/scgi;
  upstream fake_provider {
    server 127.0.0.1:$FAKE_PORT;
    keepalive 64;
  }
  server {
    listen 127.0.0.1:$port;
    location / {
      proxy_pass http://fake_provider;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
    }
  }
}
EOF
  start nginx "$RESULTS/nginx.log" nginx -p "$dir" -c "$dir/nginx.conf" -g 'daemon off;'
  GATEWAY_GROUP[nginx]=$LAST_GROUP
  GATEWAY_PORT[nginx]="$port"
  wait_until 30 nginx answers_200 "http://127.0.0.1:$port/v1/chat/completions" "$BENCH/body.json" \
    "Authorization: Bearer $API_KEY"
}

# The Tollway config folder: a Gateway, the fake as an openai backend, the benchmark's route (/v1).
write_tollway_config() {
  local dir="$1"
  mkdir -p "$dir"
  cat >"$dir/00-bench.yaml" <<EOF
# written by bench/run.sh: one Gateway, one OpenAI backend pointed at the fake provider, one route
apiVersion: v1
kind: Secret
metadata:
  name: bench-openai
  namespace: default
stringData:
  Authorization: Bearer $API_KEY
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: bench
  namespace: default
spec:
  gatewayClassName: agentgateway
  listeners:
  - name: http
    protocol: HTTP
    port: 80
    allowedRoutes:
      namespaces:
        from: All
---
apiVersion: agentgateway.dev/v1alpha1
kind: AgentgatewayBackend
metadata:
  name: fake-openai
  namespace: default
spec:
  ai:
    provider:
      host: 127.0.0.1
      port: $FAKE_PORT
      openai: {}
  policies:
    auth:
      secretRef:
        name: bench-openai
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: bench-chat
  namespace: default
spec:
  parentRefs:
  - name: bench
  rules:
  - matches:
    - path:
        type: PathPrefix
        value: /v1
    backendRefs:
    - name: fake-openai
      group: agentgateway.dev
      kind: AgentgatewayBackend
EOF
}

route_yaml() { # route_yaml NAME PATH_PREFIX
  cat <<EOF
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: $1
  namespace: default
spec:
  parentRefs:
  - name: bench
  rules:
  - matches:
    - path:
        type: PathPrefix
        value: $2
    backendRefs:
    - name: fake-openai
      group: agentgateway.dev
      kind: AgentgatewayBackend
EOF
}

TOLLWAY_CONFIG=""; TOLLWAY_PORT=""; TOLLWAY_ADMIN=""; TOLLWAY_BOOTSTRAP=""

start_tollway() {
  TOLLWAY_CONFIG="$TMP/tollway-config"
  write_tollway_config "$TOLLWAY_CONFIG"
  local data="$TMP/tollway-data"
  # The pipeline: `./tollway local` (embedded broker, config-service on the folder, usage-streams; its own
  # edge-proxy listens on a free port and is not measured).
  start "tollway local (broker, config-service, usage-streams)" "$RESULTS/tollway-local.log" \
    env TOLLWAY_JAVA_OPTS="$PIPELINE_JAVA_OPTS" "$ROOT/tollway" local --config "$TOLLWAY_CONFIG" \
    --port-map 80=0 --usage-port 0 --admin-port 0 --data "$data"
  PIPELINE_GROUP=$LAST_GROUP
  PIPELINE_PID=$LAST_GROUP # env and ./tollway exec the JVM: same pid
  wait_until 180 "tollway local" grep -q "Tollway is running" "$RESULTS/tollway-local.log"
  local bootstrap
  bootstrap="$(awk '$1 == "kafka" { print $2; exit }' "$RESULTS/tollway-local.log")"
  [[ -n "$bootstrap" ]] || die "tollway local: no Kafka address in its banner"
  TOLLWAY_BOOTSTRAP="$bootstrap"

  # The measured gateway: edge-proxy in its own JVM (its production Main), on the same broker and snapshot key.
  free_port; TOLLWAY_PORT=$FREE_PORT
  free_port; TOLLWAY_ADMIN=$FREE_PORT
  # shellcheck disable=SC2086
  start "edge-proxy" "$RESULTS/edge-proxy.log" env \
    TOLLWAY_KAFKA_BOOTSTRAP="$bootstrap" TOLLWAY_GATEWAY=default/bench TOLLWAY_BIND_ADDRESS=127.0.0.1 \
    TOLLWAY_PORT_MAP="80=$TOLLWAY_PORT" TOLLWAY_ADMIN_PORT="$TOLLWAY_ADMIN" \
    TOLLWAY_SNAPSHOT_KEY_FILE="$data/snapshot.key" TOLLWAY_STATE_DIR="$TMP/edge-state" \
    java $EDGE_JAVA_OPTS -cp "$(classpath)" dev.tollway.edge.Main
  GATEWAY_GROUP[tollway]=$LAST_GROUP
  GATEWAY_PORT[tollway]="$TOLLWAY_PORT"
  wait_until 120 "edge-proxy" answers_200 "http://127.0.0.1:$TOLLWAY_PORT/v1/chat/completions" "$BENCH/body.json"
}

start_portkey() {
  local port
  free_port; port=$FREE_PORT
  command -v npx >/dev/null || die "npx not found (expected: Node.js with npm; apt-get install nodejs npm)"
  start "Portkey gateway $PORTKEY_VERSION" "$RESULTS/portkey.log" \
    npx --yes "@portkey-ai/gateway@$PORTKEY_VERSION" "--port=$port" --headless
  GATEWAY_GROUP[portkey]=$LAST_GROUP
  GATEWAY_PORT[portkey]="$port"
  wait_until 300 "Portkey gateway (first start downloads it)" answers_200 \
    "http://127.0.0.1:$port/v1/chat/completions" "$BENCH/body.json" "${PORTKEY_HEADERS[@]}"
}

stop_target() { stop_group "${GATEWAY_GROUP[$1]}"; forget_group "${GATEWAY_GROUP[$1]}"; }

# ---------------------------------------------------------------------------------------------------------
# Tollway extras: streaming and route changes

PROBE_CP=""
ttft() { # ttft TARGET URL [HEADER...]
  local target="$1" url="$2"; shift 2
  local args=() h
  for h in "$@" "x-fake-chunk-delay-ms: $CHUNK_DELAY_MS"; do args+=(--header "$h"); done
  # The saturation warm-up sent no streams: the streaming path (the fake's event writer, edge-proxy's relay and
  # SSE parser) is compiled now. Warm it up the same way, in steps of TTFT_WARMUP streams, until the compilers
  # of the JVMs on the path are quiet.
  settle
  local step=0 streams=0
  probe() { # probe OUTFILE STREAMS
    java -Xmx64m -cp "$PROBE_CP" TtftProbe --url "$url" --body "$BENCH/body-stream.json" \
      --requests "$2" --warmup 0 "${args[@]}" >"$1" 2>&1 || die "$target: streaming probe failed: $(tail -n 3 "$1")"
  }
  ttft_warmup_step() {
    step=$((step + 1)); streams=$((streams + TTFT_WARMUP))
    probe "$RESULTS/$target-ttft-warmup-$step.txt" "$TTFT_WARMUP"
    WARM_NOTE="$streams streams"
  }
  warm_up "$target" "$RESULTS/$target-ttft-warmup.log" 0 "$TTFT_WARMUP_MAX" ttft_warmup_step $(path_jvms "$target")
  log "$target: streams warmed up with $streams streams in $WARM_SECONDS s (last step's busiest JIT: $WARM_JIT)"
  R[$target.ttft_warmup]="$streams in $WARM_SECONDS s"
  settle
  log "$target: time to first token, $TTFT_REQUESTS streams one after the other"
  with_steal_tries "$target.ttft" "$target: time to first token" "$RESULTS/$target-ttft.txt" \
    probe "$RESULTS/$target-ttft.txt" "$TTFT_REQUESTS"
  local key
  for key in ttft_p50_ms ttft_p99_ms; do
    R[$target.$key]="$(grep -o "$key=[0-9.]*" "$RESULTS/$target-ttft.txt" | cut -d= -f2)"
  done
}

PROBE_ID=0
route_change() { # route_change TOTAL_ROUTES: median time from an HTTPRoute edit to the new path answering
  local total="$1" fills=$(($1 - 2)) i t0 t1 url times=() probe="$TOLLWAY_CONFIG/20-probe.yaml"
  log "tollway: route change with $total HTTPRoutes in the folder ($ROUTE_RUNS runs)"
  {
    for ((i = 1; i <= fills; i++)); do route_yaml "fill-$i" "/fill-$i"; echo "---"; done
  } >"$TMP/fill.tmp"
  mv "$TMP/fill.tmp" "$TOLLWAY_CONFIG/10-fill.yaml"
  PROBE_ID=$((PROBE_ID + 1))
  route_yaml probe "/probe-$PROBE_ID" >"$TOLLWAY_CONFIG/.probe.tmp"
  mv "$TOLLWAY_CONFIG/.probe.tmp" "$probe"
  wait_until 120 "route table with $total routes" answers_200 \
    "http://127.0.0.1:$TOLLWAY_PORT/probe-$PROBE_ID/v1/chat/completions" "$BENCH/body.json"
  answers_200 "http://127.0.0.1:$TOLLWAY_PORT/fill-$fills/v1/chat/completions" "$BENCH/body.json" \
    || die "route table with $total routes: /fill-$fills does not answer"
  for ((i = 0; i < ROUTE_RUNS; i++)); do
    settle
    PROBE_ID=$((PROBE_ID + 1))
    url="http://127.0.0.1:$TOLLWAY_PORT/probe-$PROBE_ID/v1/chat/completions"
    answers_200 "$url" "$BENCH/body.json" && die "/probe-$PROBE_ID answers before its route exists"
    route_yaml probe "/probe-$PROBE_ID" >"$TOLLWAY_CONFIG/.probe.tmp"
    local deadline=$((SECONDS + 60))
    t0="$EPOCHREALTIME"
    mv "$TOLLWAY_CONFIG/.probe.tmp" "$probe"
    until answers_200 "$url" "$BENCH/body.json"; do # no sleep: one curl (a few ms) is the resolution
      ((SECONDS < deadline)) || die "changed route /probe-$PROBE_ID: no answer after 60 s"
    done
    t1="$EPOCHREALTIME"
    times+=("$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.0f", (b - a) * 1000 }')")
  done
  printf '%s\n' "${times[@]}" >"$RESULTS/tollway-route-change-$total.txt"
  R[tollway.route$total]="$(printf '%s\n' "${times[@]}" | sort -n | awk '{ v[NR] = $1 } END {
      m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "%.0f (%d-%d)", m, v[1], v[NR] }')"
}

# ---------------------------------------------------------------------------------------------------------
# async-profiler (--profile): attached to the edge-proxy and pipeline JVMs during Tollway's saturation run

PROFILER_LIB=""
prepare_profiler() {
  local version=4.1 jar
  jar="$HOME/.m2/repository/tools/profiler/async-profiler/$version/async-profiler-$version.jar"
  if [[ ! -f "$jar" ]]; then
    log "fetching async-profiler $version from Maven Central"
    (cd "$ROOT" && ./mvnw -B -q dependency:get "-Dartifact=tools.profiler:async-profiler:$version") >&2
  fi
  mkdir -p "$TMP/async-profiler"
  (cd "$TMP/async-profiler" && unzip -o -q "$jar" linux-x64/libasyncProfiler.so)
  PROFILER_LIB="$TMP/async-profiler/linux-x64/libasyncProfiler.so"
}
profiler() { # profiler start|stop
  local pid name
  for name in edge-proxy pipeline; do
    pid="${GATEWAY_GROUP[tollway]}"; [[ "$name" == pipeline ]] && pid="$PIPELINE_PID"
    # jcmd takes the agent's options as one quoted argument (unquoted, "event=..." reads as a jcmd option)
    if [[ "$1" == start ]]; then
      jcmd "$pid" JVMTI.agent_load "$PROFILER_LIB" '"start,event=cpu,interval=1ms"' >/dev/null
    else
      jcmd "$pid" JVMTI.agent_load "$PROFILER_LIB" "\"dump,file=$RESULTS/profile-$name.html\"" >/dev/null
      jcmd "$pid" JVMTI.agent_load "$PROFILER_LIB" "\"stop,collapsed,file=$RESULTS/profile-$name.collapsed\"" >/dev/null
    fi
  done
}

# ---------------------------------------------------------------------------------------------------------
# the table

cell() { # cell KEY [SUFFIX]: a value, "-" when not measured
  local v="${R[$1]:-}"
  [[ -n "$v" ]] && echo "$v${2:-}" || echo "-"
}
pair() { # pair KEY1 KEY2: "a / b"
  local a="${R[$1]:-}" b="${R[$2]:-}"
  [[ -n "$a" && -n "$b" ]] && echo "$a / $b" || echo "-"
}
with_errors() { # with_errors TEXT ERRORKEY
  local e="${R[$2]:-0}"
  ((e > 0)) && echo "$1 ($e errors)" || echo "$1"
}
added() { # added TARGET METRIC: target minus direct, ms
  local a="${R[$1.$2]:-}" d="${R[direct.$2]:-}"
  [[ -n "$a" && -n "$d" && "$a" != "?" && "$d" != "?" ]] || { echo ""; return; }
  awk -v a="$a" -v d="$d" 'BEGIN { printf "%+.2f", a - d }'
}
added_pair() { # added_pair TARGET M1 M2
  local a b
  a="$(added "$1" "$2")"; b="$(added "$1" "$3")"
  [[ -n "$a" && -n "$b" ]] && echo "$a / $b" || echo "-"
}
rate_cell() { # rate_cell TARGET RATE [r|b]: achieved req/s (paced or bursts), flagged when below 95 % of RATE
  local got="${R[$1.${3:-r}$2.rps]:-}"
  [[ -n "$got" ]] || { echo "-"; return; }
  if ((got * 100 < $2 * 95)); then echo "$got (could not sustain $2)"; else echo "$got"; fi
}

print_table() {
  local cols=(direct) names=("direct to fake") t
  wants nginx && { cols+=(nginx); names+=("nginx proxy_pass"); }
  wants tollway && { cols+=(tollway); names+=("Tollway"); }
  wants portkey && { cols+=(portkey); names+=("Portkey $PORTKEY_VERSION"); }

  local rows=() row
  add() { local label="$1"; shift; local line="$label" c; for c in "$@"; do line+=$'\t'"$c"; done; rows+=("$line"); }
  per() { local f="$1" out=() c; for c in "${cols[@]}"; do out+=("$($f "$c")"); done; add "$2" "${out[@]}"; }

  add "measurement" "${names[@]}"
  sat_rps() { with_errors "$(cell "$1.sat.rps")" "$1.sat.errors"; }
  per sat_rps "saturation req/s (wrk -t$WRK_THREADS -c$WRK_CONNECTIONS, ${SATURATION} s)"
  sat_lat() { pair "$1.sat.p50" "$1.sat.p99"; }
  per sat_lat "saturation latency p50 / p99 ms"
  warm() { cell "$1.warmup"; }
  per warm "warm-up before it (requests and seconds, not recorded)"
  local rate workers shape
  for rate in "$RATE_LOW" "$RATE_HIGH"; do
    workers=$RATE_LOW_WORKERS; ((rate == RATE_HIGH)) && workers=$RATE_HIGH_WORKERS
    for shape in r b; do
      local how="paced (wrk -c $workers, ${RATE_SECONDS} s)"
      [[ "$shape" == b ]] && how="in bursts of $workers (hey -c $workers -q $((rate / workers)), ${RATE_SECONDS} s)"
      r_rps() { rate_cell "$1" "$rate" "$shape"; }
      per r_rps "@ $rate req/s $how: achieved req/s"
      r_lat() { with_errors "$(pair "$1.$shape$rate.p50" "$1.$shape$rate.p99")" "$1.$shape$rate.errors"; }
      per r_lat "@ $rate req/s ${how%% (*}: latency p50 / p99 ms"
      r_add() { [[ "$1" == direct ]] && echo "-" || added_pair "$1" "$shape$rate.p50" "$shape$rate.p99"; }
      per r_add "@ $rate req/s ${how%% (*}: added p50 / p99 ms vs direct"
    done
  done
  rss() { cell "$1.rss" " MB"; }
  per rss "gateway RSS, peak during saturation"
  cpu() { cell "$1.cpu_us" " us"; }
  per cpu "gateway CPU per request at saturation"
  prss() { cell "$1.pipeline_rss" " MB"; }
  pcpu() { cell "$1.pipeline_cpu_us" " us"; }
  if wants tollway; then
    per prss "Tollway pipeline JVM RSS (broker, config-service, usage-streams)"
    per pcpu "Tollway pipeline JVM CPU per request at saturation"
    alone_sat() {
      [[ "$1" == tollway && -n "${R[alone.sat.rps]:-}" ]] || { echo "-"; return; }
      with_errors "${R[alone.sat.rps]} at ${R[alone.cpu_us]} us" alone.sat.errors
    }
    per alone_sat "Tollway, pipeline JVM paused (edge-proxy alone): saturation req/s, edge-proxy CPU per request"
    alone_low() {
      [[ "$1" == tollway && -n "${R[alone.r$RATE_LOW.p99]:-}" ]] || { echo "-"; return; }
      with_errors "$(added_pair alone "r$RATE_LOW.p50" "r$RATE_LOW.p99") (steal ${R[alone.r$RATE_LOW.steal]} %)" \
        "alone.r$RATE_LOW.errors"
    }
    per alone_low "Tollway, pipeline JVM paused: @ $RATE_LOW req/s paced, added p50 / p99 ms vs direct"
  fi
  fcpu() { cell "$1.fake_cpu_us" " us"; }
  per fcpu "fake provider CPU per request at saturation"
  gcpu() { cell "$1.gen_cpu_us" " us"; }
  per gcpu "load generator (wrk) CPU per request at saturation"
  ocpu() { cell "$1.other_cpu" " %"; }
  per ocpu "CPU used outside the benchmark during saturation (of 2 cores)"
  steal_cells() { # saturation / the fixed rates, paced and in bursts (the largest) / streaming
    local rates=() k
    for k in "r$RATE_LOW" "b$RATE_LOW" "r$RATE_HIGH" "b$RATE_HIGH"; do rates+=("${R[$1.$k.steal]:-}"); done
    local most
    most="$(printf '%s\n' "${rates[@]}" | awk 'NF { if (m == "" || $1 > m) m = $1 } END { print m }')"
    echo "${R[$1.sat.steal]:--} / ${most:--} / ${R[$1.ttft.steal]:--} %"
  }
  per steal_cells "CPU the host took (steal, of 2 cores): saturation / fixed rates (most) / streaming"
  if [[ -n "$MAX_STEAL" ]]; then
    tries_cells() { # the fixed rates' tries (paced and bursts at each rate) and the streams'
      local k out=()
      for k in "r$RATE_LOW" "b$RATE_LOW" "r$RATE_HIGH" "b$RATE_HIGH" ttft; do out+=("${R[$1.$k.tries]:--}"); done
      echo "${out[*]}"
    }
    per tries_cells "tries with the host under $MAX_STEAL %: $RATE_LOW paced, bursts, $RATE_HIGH paced, bursts; streams"
  fi
  if wants tollway; then
    ttft_cell() { case "$1" in direct|tollway) pair "$1.ttft_p50_ms" "$1.ttft_p99_ms" ;; portkey) echo "not measured (fails on Node 20)" ;; *) echo "-" ;; esac; }
    ttft_warm() { case "$1" in direct|tollway) cell "$1.ttft_warmup" ;; *) echo "-" ;; esac; }
    per ttft_warm "streaming: warm-up before it (streams and seconds, not recorded)"
    per ttft_cell "streaming: time to first token p50 / p99 ms"
    ttft_add() { [[ "$1" == tollway ]] && added_pair tollway ttft_p50_ms ttft_p99_ms || echo "-"; }
    per ttft_add "streaming: added time to first token p50 / p99 ms"
    rc10() { [[ "$1" == tollway ]] && cell tollway.route10 " ms" || echo "-"; }
    per rc10 "HTTPRoute change -> new route answers, 10 routes: median (min-max)"
    rc1000() { [[ "$1" == tollway ]] && cell tollway.route1000 " ms" || echo "-"; }
    per rc1000 "HTTPRoute change -> new route answers, 1,000 routes: median (min-max)"
  fi

  # Markdown table with padded columns
  local widths=() i n cellv
  for row in "${rows[@]}"; do
    IFS=$'\t' read -r -a cells <<<"$row"
    for i in "${!cells[@]}"; do
      n=${#cells[i]}; ((n > ${widths[i]:-0})) && widths[i]=$n
    done
  done
  local first=true sep
  for row in "${rows[@]}"; do
    IFS=$'\t' read -r -a cells <<<"$row"
    local line="|"
    for i in "${!cells[@]}"; do
      cellv="${cells[i]}"
      if ((i == 0)); then line+=" $(printf '%-*s' "${widths[i]}" "$cellv") |"
      else line+=" $(printf '%*s' "${widths[i]}" "$cellv") |"; fi
    done
    echo "$line"
    if $first; then
      sep="|"
      for i in "${!widths[@]}"; do
        if ((i == 0)); then sep+=":$(printf '%*s' "${widths[i]}" '' | tr ' ' -)-|"
        else sep+="-$(printf '%*s' "${widths[i]}" '' | tr ' ' -):|"; fi
      done
      echo "$sep"; first=false
    fi
  done
}

# ---------------------------------------------------------------------------------------------------------
# main

install_missing() {
  local missing=() tool
  for tool in nginx wrk hey; do command -v "$tool" >/dev/null || missing+=("$tool"); done
  ((${#missing[@]})) || return 0
  log "installing ${missing[*]} with apt-get"
  local sudo=""
  [[ "$(id -u)" == 0 ]] || sudo="sudo"
  $sudo apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >&2
}

main() {
  command -v java >/dev/null || die "java not found (expected: Java 17 or newer)"
  command -v curl >/dev/null || die "curl not found"
  wants portkey && { command -v npx >/dev/null || die "npx not found (expected: Node.js and npm for Portkey)"; }
  install_missing

  RESULTS="$BENCH/results/$(date -u +%Y%m%dT%H%M%SZ)$($QUICK && echo -quick || true)"
  mkdir -p "$RESULTS"
  TMP="$(mktemp -d -t tollway-bench.XXXXXX)"

  log "building Tollway if needed (./tollway builds what is missing)"
  "$ROOT/tollway" local --help >/dev/null 2>"$RESULTS/build.log" || die "build failed: see $RESULTS/build.log"
  mkdir -p "$TMP/probe"
  javac -d "$TMP/probe" "$BENCH/TtftProbe.java"
  javac -d "$TMP/probe" -cp "$(classpath)" "$BENCH/UsageBacklogProbe.java"
  PROBE_CP="$TMP/probe"
  $PROFILE && prepare_profiler

  {
    echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo "mode: $($QUICK && echo quick || echo full)"
    echo "machine: $(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo), $(uname -sr)"
    echo "cpu: $(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)"
    echo "java: $(java -version 2>&1 | head -n 1)"
    echo "nginx: $(nginx -v 2>&1)"
    echo "wrk: $(wrk -v 2>&1 | head -n 1)"
    echo "hey: $(dpkg-query -W -f '${Version}' hey 2>/dev/null || echo unknown)"
    echo "node: $(node --version 2>/dev/null || echo none)"
    echo "repeat a fixed-rate or streaming measurement while the host took more than: ${MAX_STEAL:-(off)}${MAX_STEAL:+ %} (up to $STEAL_TRIES tries)"
    echo "JVM flags: fake '$FAKE_JAVA_OPTS', edge-proxy '$EDGE_JAVA_OPTS', pipeline '$PIPELINE_JAVA_OPTS'"
    echo "load: wrk -t$WRK_THREADS -c$WRK_CONNECTIONS ${SATURATION}s after a warm-up of at least ${WARMUP}s and $WARMUP_REQUESTS requests, then until $JIT_QUIET_STEPS 5 s steps in a row in which the JIT compiler threads took at most ${JIT_QUIET_PERCENT} % of each JVM's CPU (at most ${WARMUP_MAX}s); ${RATE_SECONDS}s each at $RATE_LOW and $RATE_HIGH req/s, paced by wrk (-c $RATE_LOW_WORKERS / -c $RATE_HIGH_WORKERS, chat.lua with BENCH_RATE) and in bursts by hey (-c $RATE_LOW_WORKERS -q $((RATE_LOW / RATE_LOW_WORKERS)) / -c $RATE_HIGH_WORKERS -q $((RATE_HIGH / RATE_HIGH_WORKERS)))"
  } >"$RESULTS/environment.txt"

  start_fake
  local direct_url="http://127.0.0.1:$FAKE_PORT/v1/chat/completions"
  local auth="Authorization: Bearer $API_KEY"
  PORTKEY_HEADERS=("$auth" "x-portkey-provider: openai" "x-portkey-custom-host: http://127.0.0.1:$FAKE_PORT/v1")

  measure direct "$direct_url" "$auth"

  if wants nginx; then
    start_nginx
    measure nginx "http://127.0.0.1:${GATEWAY_PORT[nginx]}/v1/chat/completions" "$auth"
    stop_target nginx
  fi

  if wants tollway; then
    start_tollway
    # the client sends the same Authorization as elsewhere; Tollway never forwards it (it sends its own key)
    measure tollway "http://127.0.0.1:$TOLLWAY_PORT/v1/chat/completions" "$auth"
    proxy_alone "http://127.0.0.1:$TOLLWAY_PORT/v1/chat/completions" "$auth"
    ttft direct "$direct_url" "$auth"
    ttft tollway "http://127.0.0.1:$TOLLWAY_PORT/v1/chat/completions" "$auth"
    route_change 10
    route_change 1000
    stop_target tollway
    stop_group "$PIPELINE_GROUP"; forget_group "$PIPELINE_GROUP"; PIPELINE_GROUP=""; PIPELINE_PID=""
  fi

  if wants portkey; then
    start_portkey
    measure portkey "http://127.0.0.1:${GATEWAY_PORT[portkey]}/v1/chat/completions" "${PORTKEY_HEADERS[@]}"
    stop_target portkey
  fi

  print_table | tee "$RESULTS/table.md"
  echo
  echo "Raw outputs, logs and the environment: $RESULTS"
}

main
