# SPDX-License-Identifier: GPL-2.0-only
# canister status on the host kernel: trace mode, BPF LSM reported unavailable with the reason.
. "$(dirname "$0")/../lib/harness.sh"

# Without a daemon: one clear line on stderr, non-zero exit, nothing on stdout.
out=$(cn status 2>"$T_TMP/err") && fail "status succeeded without a daemon"
[ -z "$out" ] || fail "status printed on stdout without a daemon: $out"
expect_eq "$(wc -l <"$T_TMP/err")" 1 "lines on stderr without a daemon"
expect_match "$(cat "$T_TMP/err")" "^canister: canisterd is not running \(nothing answers on $T_SOCK\)$" \
	"no-daemon message"

start_daemon
text=$(cn status) || fail "status failed"
expect_match "$text" '^mode: trace$' "text mode line"
expect_match "$text" "pin path: $T_PIN\$" "pin path"
expect_match "$text" "^  bpf_lsm +unavailable +.+" "bpf_lsm line"

json=$(cn status --json) || fail "status --json failed"
expect_eq "$(printf '%s' "$json" | jq -r .mode)" trace "mode"
expect_eq "$(printf '%s' "$json" | jq -r .features.bpf_lsm.available)" false "bpf_lsm available"
# The reason must be the kernel's refusal, not a guess.
expect_match "$(printf '%s' "$json" | jq -r .features.bpf_lsm.detail)" \
	'refused to load an lsm program' "bpf_lsm detail"
expect_eq "$(printf '%s' "$json" | jq -r .features.tp_btf.available)" true "tp_btf available"
expect_eq "$(printf '%s' "$json" | jq -r .features.bpffs.available)" true "bpffs available"
# This host kernel has no IMA (TESTBED.md): the hash helper must be reported missing.
expect_eq "$(printf '%s' "$json" | jq -r .features.ima_file_hash.available)" false "ima hash"
expect_eq "$(printf '%s' "$json" | jq -r .features.audit_netlink.available)" true "audit netlink"
expect_eq "$(printf '%s' "$json" | jq -r .daemon.pid)" "$T_DAEMON_PID" "daemon pid"
expect_match "$(printf '%s' "$json" | jq -r .protection)" '^trace mode: labels are observed, not defended' \
	"threat-model statement"
for counter in events lost inherited cleared labelled_processes; do
	expect_match "$(printf '%s' "$json" | jq -r ".counters.$counter")" '^[0-9]+$' "counter $counter"
done

# Counters move with real work: one container of three processes.
cn run --id 5 -- sh -c 'sh -c true; true' || fail "run failed"
json=$(cn status --json)
[ "$(printf '%s' "$json" | jq -r .counters.inherited)" -ge 1 ] || fail "inherited did not count: $json"
[ "$(printf '%s' "$json" | jq -r .counters.cleared)" -ge 2 ] || fail "cleared did not count: $json"

# The trace-mode threat model: a labelled root holding CAP_SYS_ADMIN is named, with why.
cn run --id 6 -- sleep 30 &
runner=$!
labelled() { [ "$(cn status --json | jq -r .counters.labelled_processes)" -ge 1 ]; }
wait_until "container 6 counted in labelled_processes" labelled
# The capabilities are read off the main loop: a status asks for a new scan and shows the last.
privileged_named() { cn status --json | jq -r '.warnings[]' | grep -Eq 'in container 6 could tamper with labels \(CAP_SYS_ADMIN,CAP_BPF,.* effective; uid 0; pins writable\)'; }
poll_until "$T_WAIT" privileged_named ||
	fail "no warning about a privileged labelled process: $(cn status --json | jq -c '.warnings, .privileged_scan')"
pkill -P "$runner" sleep
wait "$runner"
stop_daemon
