# SPDX-License-Identifier: GPL-2.0-only
# A caller's pid recycled before canisterd identifies it: a labelled process connects, asks for a
# delegation, hands the connection to its child and exits; a privileged host process is given its
# pid (ns_last_pid) before canisterd accepts.  The request must not be judged as that process's.
. "$(dirname "$0")/../lib/harness.sh"

[ -w /proc/sys/kernel/ns_last_pid ] || fail "/proc/sys/kernel/ns_last_pid is not writable (root, CONFIG_CHECKPOINT_RESTORE)"

. "$T_LIB/peer-recycle.sh"

# The path of kernels without SO_PEERPIDFD (Debian 12's 6.1), taken on this one.
CANISTERD_NO_PEERPIDFD=1 start_daemon
expect_match "$(cn status)" "peer_pidfd +unavailable +SO_PEERPIDFD not used \(CANISTERD_NO_PEERPIDFD=1\)" \
	"fallback path announced"
recycle fallback
expect_match "$reply" '"ok":false' "fallback: the recycled pid's request was refused: $reply"
expect_match "$reply" "pid $caller does not hold the connection" "fallback: the reason"
no_record "op=delegate opid=$child .*res=1" "fallback: a delegation granted to the attacker's child"
expect_match "$(cn status --json | jq -r .counters.control_unidentified)" '^[1-9]' "fallback: counted"
kill "$child" 2>/dev/null
# A caller whose descriptors would make the scan long is refused, not scanned without end.
out=$(cn run --id 37 -- "${CANISTER_TOOLS:+$CANISTER_TOOLS/}fd-hog" 1100 "$CANISTER" --socket "$T_SOCK" get 1 2>&1) &&
	fail "a caller with 1100 descriptors was served on the fallback path: $out"
expect_match "$out" "holds more than 1024 descriptors; canisterd looks at no more" "fallback: the scan's bound"
stop_daemon

# SO_PEERPIDFD kernels: the connecting process is gone, whoever has its pid now.
start_daemon
if cn status | grep -Eq "peer_pidfd +available"; then
	recycle peerpidfd
	expect_match "$reply" '"ok":false' "SO_PEERPIDFD: refused: $reply"
	expect_match "$reply" "exited before it could be identified" "SO_PEERPIDFD: the reason"
	no_record "op=delegate opid=$child .*res=1" "SO_PEERPIDFD: a delegation granted"
	kill "$child" 2>/dev/null
	# There the socket names the caller: a big descriptor table is no reason to refuse it.
	expect_eq "$(cn run --id 37 -- "${CANISTER_TOOLS:+$CANISTER_TOOLS/}fd-hog" 1100 "$CANISTER" --socket "$T_SOCK" get 1)" \
		unset "SO_PEERPIDFD: a caller with 1100 descriptors"
fi

# A caller that stays is served on both paths (the hold check finds its end).
expect_match "$(tool register-self "$T_SOCK")" "^refused: Invalid cross-device link" "an ordinary caller"
stop_daemon
