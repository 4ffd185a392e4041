# Helpers shared by the load scripts (scripts/load-public.sh,
# scripts/bench-scale.sh); sourced, not run.

# A free TCP port on loopback.
free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# Waits up to 60 s for URL to answer 2xx; exits the script otherwise.
wait_for() {
  for _ in $(seq 1 600); do
    curl -fsS -o /dev/null "$1" 2>/dev/null && return 0
    sleep 0.1
  done
  echo "$(basename "$0"): $1 did not answer" >&2
  exit 1
}

# wrk's latency percentile Q ("50%  41.2ms", "99%  58.0ms") in milliseconds.
ms() {
  awk -v q="$1" '$1 == q {
    v = $2; unit = v; sub(/[0-9.]+/, "", unit); sub(/[a-z]+$/, "", v);
    if (unit == "us") v /= 1000; else if (unit == "s") v *= 1000;
    printf "%.1f", v }'
}
