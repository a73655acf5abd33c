# SPDX-License-Identifier: GPL-2.0-only
# canister: a labelled process that holds an fd to canister's labels map is named and recorded
# (the lsm guards refuse getting such an fd, not using one taken before), until it exits.
. "$(dirname "$0")/../lib/harness.sh"

why() { scan_why "$@"; }
named() { scan_named "$@"; }
not_named() { ! scan_named "$1"; }
# By the latest record: a scan may have seen the holder while it was still
# root, before it dropped its privileges, and recorded it so first.
recorded_as() { [ "$(tamper_record "$1")" = "$2" ]; }

start_daemon
chmod 0711 "$T_TMP"
mkdir -m 1777 "$T_TMP/pub"

# Root in container 41 takes an fd to the labels map by its pin (trace mode
# lets it), then drops everything else: uid 65534, no capability, no way back
# by exec.  What it can still do, it does through that fd.
cn run --id 41 -- "$CANISTER_TOOLS/bpf-obj-get" "$T_PIN/labels" \
	setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all --bounding-set=-all \
	--no-new-privs -- sh -c "echo \$\$ >$T_TMP/pub/holder.pid; exec sleep 120" >/dev/null 2>&1 &
started $!
wait_for_file "$T_TMP/pub/holder.pid"
holder=$(cat "$T_TMP/pub/holder.pid")
started "$holder"
# The labels map's id, as the holder's own fdinfo says.
map_id=$(held_map_id "$holder")
[ -n "$map_id" ] || fail "pid $holder holds no map fd"
expect_eq "$(sed -n 's/^CapPrm:[[:space:]]*//p' "/proc/$holder/status")" 0000000000000000 "holder's permitted set"

wait_until "pid $holder named" named "$holder"
expect_eq "$(why "$holder")" "holds map labels (id $map_id)" "why of pid $holder"
expect_match "$(cn status --json | jq -r '.warnings[]')" "pid $holder in container 41 could tamper with labels \(holds map labels \(id $map_id\)\)" "warning"
wait_until "record of pid $holder as it is now" recorded_as "$holder" "holds map labels (id $map_id)"
expect_record "op=tamper opid=$holder contid=41 old-contid=-1 reason=[0-9A-F]+ res=1" "record names the container"

# A later scan (one after a labelled exec) still names it, and does not record it again.
cn run --id 42 -- sh -c "echo \$\$ >$T_TMP/later.pid; exec sleep 120" >/dev/null 2>&1 &
started $!
wait_for_file "$T_TMP/later.pid"
later=$(cat "$T_TMP/later.pid")
started "$later"
wait_until "pid $later named (a scan after it)" named "$later"
named "$holder" || fail "pid $holder no longer named while it holds the fd"
[ -z "$(tamper_records "$holder" | uniq -d)" ] || fail "pid $holder recorded twice alike: $(tamper_records "$holder")"

# Once it is gone, the warning goes with it.
kill "$holder"
wait_until "pid $holder no longer named" not_named "$holder"

kill_started
stop_daemon
