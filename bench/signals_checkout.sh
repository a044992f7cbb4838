#!/usr/bin/env bash
# Issue 17's benchmark: 5,000 cart changes per second sustained while the signal rules run, with checkout throughput
# within 10% of the same run without signals.
#
# Two release servers on their own databases, alike but for the signal rules: "signals-on" serves Content/ as it
# ships (the four rules of Content/signals/), "signals-off" a copy of Content/ whose signals/ folder holds no rule
# (--content through lib.sh's CONTENT; no flag of its own). Each gets the same seed: 1,000 products and 128 funded buyers (tools/buyers.py).
# A round runs, for SECONDS, two wrk at once against one server: cart changes paced to CART_RATE a second
# (lua/cart.lua: PUT /v1/cart/items/{id}, the abandoned_cart trigger; CART_CONNECTIONS, default 256, so the pacing is
# not capped by latency) and checkouts as fast as they go (lua/checkout.lua, CHECKOUT_CONNECTIONS, default 16).
# Rounds alternate on, off, on, off … so both see the same machine. Reports the cart rate achieved and checkouts per
# second both ways (medians), and their ratio.
# Usage: bench/signals_checkout.sh [seconds per round (default 20)] [rounds (default 3)] [cart rate (default 5000)]
source "$(dirname "$0")/lib.sh"
SECONDS_PER_RUN=${1:-20}
ROUNDS=${2:-3}
CART_RATE=${3:-5000}
CART_CONNECTIONS=${CART_CONNECTIONS:-256}
CHECKOUT_CONNECTIONS=${CHECKOUT_CONNECTIONS:-16}
build_release

mkdir -p "$WORK/content-off"
cp -r "$ROOT/Content/." "$WORK/content-off/"
rm -f "$WORK/content-off/signals/"*.json
for mode in on off; do
  content="$ROOT/Content"
  [ "$mode" = off ] && content="$WORK/content-off"
  port=$(free_port)
  CONTENT="$content" start_basar "$port" "$WORK/$mode.sqlite"
  eval "PORT_$mode=$port"
  token=$(staff "$port" "$WORK/$mode.sqlite" "merchant-$mode@bench.test" merchant)
  echo "seeding 1000 products and 128 funded buyers (signals $mode)…" >&2
  timeout 600 python3 "$BENCH/tools/buyers.py" "http://127.0.0.1:$port" "$token" 1000 128 2 "$WORK/buyers-$mode.lua"
done

# round MODE N: both loads at once; records cart changes/s and checkouts/s of the round.
round() {
  local mode=$1 n=$2 port buyers cart checkout
  port=$(eval echo "\$PORT_$mode")
  buyers="$WORK/buyers-$mode.lua"
  wait_quiet
  timeout $((SECONDS_PER_RUN + 60)) wrk --latency -t2 -c"$CART_CONNECTIONS" -d"${SECONDS_PER_RUN}s" --timeout 10s -s "$BENCH/lua/cart.lua" \
    "http://127.0.0.1:$port" -- "$buyers" 2 "$CART_RATE" >"$WORK/cart-$mode-$n.txt" &
  local cart_pid=$!
  PIDS+=("$cart_pid")
  run_wrk "http://127.0.0.1:$port" -t1 -c"$CHECKOUT_CONNECTIONS" -d"${SECONDS_PER_RUN}s" --timeout 10s -s "$BENCH/lua/checkout.lua" \
    -- "$buyers" 1 >"$WORK/checkout-$mode-$n.txt"
  wait "$cart_pid" || true
  cart=$(python3 - "$WORK/cart-$mode-$n.txt" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
bad = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
p99 = re.search(r"^\s+99%\s+([\d.]+)(us|ms|s)\s*$", text, re.M)
v = float(p99.group(1)) / {"us": 1000, "ms": 1, "s": 0.001}[p99.group(2)]
print(f"{rps:.0f} - {v:.3f} {int(bad.group(1)) if bad else 0}")
PY
)
  read -r r a b e <"$WORK/checkout-$mode-$n.txt"
  record "signals-$mode" "cart changes" "$n" $cart
  record "signals-$mode" "checkout" "$n" "$r" "$a" "$b" "$e"
}
timeout 60 wrk -t1 -c8 -d2s -s "$BENCH/lua/checkout.lua" "http://127.0.0.1:$PORT_on" -- "$WORK/buyers-on.lua" 1 >/dev/null
timeout 60 wrk -t1 -c8 -d2s -s "$BENCH/lua/checkout.lua" "http://127.0.0.1:$PORT_off" -- "$WORK/buyers-off.lua" 1 >/dev/null
for n in $(seq 1 "$ROUNDS"); do
  round on "$n"
  round off "$n"
done
report
python3 - "$RESULTS" "$CART_RATE" <<'PY'
import statistics, sys
rates = {}
for line in open(sys.argv[1]):
    c, case, _, rps, *_ = line.split("\t")
    rates.setdefault((c, case), []).append(float(rps))
m = {k: statistics.median(v) for k, v in rates.items()}
on, off = m[("signals-on", "checkout")], m[("signals-off", "checkout")]
print()
print(f"cart changes: {m[('signals-on', 'cart changes')]:,.0f}/s with signals, {m[('signals-off', 'cart changes')]:,.0f}/s"
      f" without (target {int(sys.argv[2]):,}/s sustained)")
print(f"checkout with signals = {on / off:.1%} of checkout without ({on:,.0f} vs {off:,.0f}/s; target ≥ 90%)")
PY
for mode in on off; do
  db="$WORK/$mode.sqlite"
  echo "signals $mode: $(sqlite3 "$db" 'SELECT count(*) FROM orders') orders," \
    "$(sqlite3 "$db" "SELECT count(*) FROM domain_events WHERE name = 'cart.updated'") cart.updated events," \
    "$(sqlite3 "$db" "SELECT count(*) FROM scheduled_jobs WHERE kind = 'signal.check'") abandoned-cart checks pending," \
    "signals cursor at $(sqlite3 "$db" "SELECT position FROM event_cursors WHERE consumer = 'signals'") of" \
    "$(sqlite3 "$db" 'SELECT max(id) FROM domain_events')"
done
