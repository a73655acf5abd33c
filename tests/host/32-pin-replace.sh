# SPDX-License-Identifier: GPL-2.0-only
# canisterd refuses to start on pins it did not make (a same-shape labels map in the pin's place), saying why.
. "$(dirname "$0")/../lib/harness.sh"

# start_refused PATTERN WHAT: canisterd must exit without serving, its output matching PATTERN.
start_refused()
{
	"$CANISTERD" -f -c "$T_CONF" >"$T_TMP/start.log" 2>&1 &
	sr_pid=$!
	sr_gone() { ! kill -0 "$sr_pid" 2>/dev/null || daemon_answers; }
	wait_until "$T_DAEMON_WAIT" "canisterd to exit or answer" sr_gone
	if daemon_answers; then
		kill -TERM "$sr_pid"
		wait "$sr_pid"
		fail "$2: canisterd started and adopted the pins ($(tail -n 3 "$T_TMP/start.log"))"
	fi
	wait "$sr_pid" && fail "$2: canisterd exited 0 without serving"
	expect_match "$(cat "$T_TMP/start.log")" "$1" "$2"
}

start_daemon
cn run --id 950 -- sh -c 'echo $$ >'"$T_TMP"'/c.pid; exec sleep 120' &
runner=$!
wait_for_file "$T_TMP/c.pid"
child=$(cat "$T_TMP/c.pid")
expect_eq "$(cn get "$child")" 950 "before the attack"
[ -L "$T_PIN/pinned" ] || fail "no record of the pins at $T_PIN/pinned"
labels=$(tool bpf-attack id-of "$T_PIN/labels") || fail "cannot read the labels pin"
expect_match "$(readlink "$T_PIN/pinned")" "^canister-pins-1 .*map:labels:$labels( |\$)" "the record names the labels map"

# 1. A container root (trace mode: nothing stops it) swaps the labels pin for a map of its own.
expect_eq "$(cn run --id 951 -- "${CANISTER_TOOLS}/bpf-attack" mimic "$T_PIN/labels")" ok "the swap"
stop_daemon
start_refused "the pin labels holds map id [0-9]+, but the pinned program links/canister_[a-z_]+ uses its map labels with id $labels: the pin was replaced" \
	"restart on a swapped labels pin"
# The swap refused, the host puts the real map back; the container kept its label throughout.
expect_eq "$(tool bpf-attack repin "$labels" "$T_PIN/labels")" ok "repin"
start_daemon
expect_eq "$(cn get "$child")" 950 "after the refused start and the repin"

# 2. The same with a forged record: the links' programs still name the real map.
expect_eq "$(cn run --id 952 -- "${CANISTER_TOOLS}/bpf-attack" mimic "$T_PIN/labels")" ok "the second swap"
stop_daemon
fake=$(tool bpf-attack id-of "$T_PIN/labels")
ln -sfn "$(readlink "$T_PIN/pinned" | sed "s/map:labels:$labels\\b/map:labels:$fake/")" "$T_PIN/pinned"
start_refused "the pin labels holds map id $fake, but the pinned program .* uses its map labels with id $labels" \
	"restart on a swapped pin and a forged record"
tool bpf-attack repin "$labels" "$T_PIN/labels" >/dev/null
ln -sfn "$(readlink "$T_PIN/pinned" | sed "s/map:labels:$fake\\b/map:labels:$labels/")" "$T_PIN/pinned"
start_daemon
expect_eq "$(cn get "$child")" 950 "after the second repin"
kill "$child"
wait "$runner"

# 3. Links gone as well: only the record tells.
expect_eq "$(cn run --id 953 -- "${CANISTER_TOOLS}/bpf-attack" mimic "$T_PIN/labels")" ok "the third swap"
stop_daemon
rm -f "$T_PIN"/links/*
fake=$(tool bpf-attack id-of "$T_PIN/labels")
start_refused "the pin labels holds map id $fake, but canisterd pinned map id $labels there: it was replaced" \
	"restart on a swapped pin with no links left"

# 4. Record and links removed, then a swap: no record is no vouching (adopted with a warning before).
"$CANISTERD" --unload -c "$T_CONF" >/dev/null || fail "--unload"
start_daemon
stop_daemon
rm -f "$T_PIN"/links/* "$T_PIN/pinned"
tool bpf-attack mimic "$T_PIN/labels" >/dev/null || fail "the fourth swap"
start_refused "holds pins but no record of them" "restart on pins with no record and no links"

# 5. A pin canisterd never made, and a pin of its gone.
"$CANISTERD" --unload -c "$T_CONF" >/dev/null || fail "--unload"
start_daemon
stop_daemon
tool bpf-attack repin "$(tool bpf-attack id-of "$T_PIN/stats")" "$T_PIN/extra" >/dev/null
start_refused "extra \\(map id [0-9]+\\) is pinned, but canisterd did not pin it" "an extra pin"
rm -f "$T_PIN/extra" "$T_PIN/census"
start_refused "canisterd pinned census \\(map id [0-9]+\\), but the pin is gone" "a missing pin"

# Unchanged pins start as ever; --unload removes the record with them.
"$CANISTERD" --unload -c "$T_CONF" >/dev/null || fail "--unload"
start_daemon
stop_daemon
start_daemon
stop_daemon
"$CANISTERD" --unload -c "$T_CONF" >/dev/null || fail "--unload after clean runs"
[ ! -e "$T_PIN" ] || fail "--unload left $T_PIN: $(ls -a "$T_PIN")"
