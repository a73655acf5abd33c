# SPDX-License-Identifier: GPL-2.0-only
# canister: a container's FUSE mount that never answers, on the pin path in its own mount
# namespace, neither stalls the trace-mode scanner nor canisterd's stop.
. "$(dirname "$0")/../lib/harness.sh"

named() { scan_named "$@"; }

start_daemon

# The attack: root in container 31 mounts, in a mount namespace of its own, a
# FUSE filesystem whose server never answers, over canister's pin directory.
# A scanner that walks /proc/PID/root/PIN_PATH waits on it for good.
cn run --id 31 -- "$CANISTER_TOOLS/fuse-stall" "$T_PIN" "$T_TMP/stall.pid" >/dev/null 2>&1 &
started $!
wait_for_file "$T_TMP/stall.pid"
stall=$(cat "$T_TMP/stall.pid")
started "$stall"
grep -q ' fuse.stall ' "/proc/$stall/mountinfo" || fail "no FUSE mount in pid $stall's namespace"

# A labelled exec after it (the scanner looks again soon after each one).
cn run --id 32 -- sh -c "echo \$\$ >$T_TMP/later.pid; exec sleep 120" >/dev/null 2>&1 &
started $!
wait_for_file "$T_TMP/later.pid"
later=$(cat "$T_TMP/later.pid")
started "$later"

# Both are root in the initial user namespace: a scan that finished after
# they started names them.  A stalled scanner never finishes one.
wait_until 30 "a scan naming pid $stall (root, in a FUSE-stalled namespace)" named "$stall"
wait_until 30 "a scan naming pid $later" named "$later"
age=$(cn status --json | jq -r '.privileged_scan.age_ms')
[ "$age" -lt 30000 ] || fail "the last scan is $age ms old"
# The scan judged the stalled namespace from its mountinfo: the pins' bpffs is
# still mounted there (under the FUSE mount), which errs towards naming it.
expect_match "$(scan_why "$stall")" 'pins writable' "why of pid $stall"

# The stop is bounded, whatever the scanner is doing.
stop_daemon_within 15
