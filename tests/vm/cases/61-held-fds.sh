# SPDX-License-Identifier: GPL-2.0-only
# canister: a container that took an fd to the labels map while canisterd ran in trace mode
# keeps it when canisterd restarts in lsm mode (the guards refuse getting such an fd, not using
# one): canisterd names it in status and records it, and a new fd is refused.
# shellcheck source=tests/lib/harness.sh
. "${T_LIB:-$(dirname "$0")/../../lib}/harness.sh"

refused='refused: Operation not permitted'
holder_named()
{
	cn status | grep -Eq "pid $holder in container 61 (could tamper with labels )?\(.*holds map labels \(id $map_id\)\)"
}
holder_gone() { ! cn status | grep -q "pid $holder in container 61"; }

echo "mode = trace" >>"$T_CONF"
start_daemon
expect_match "$(cn status)" '^mode: trace$' "mode before the restart"
cn run --id 61 -- bpf-obj-get "$T_PIN/labels" sh -c "echo \$\$ >$T_TMP/holder.pid; exec sleep 300" \
	>/dev/null 2>&1 &
started $!
wait_for_file "$T_TMP/holder.pid"
holder=$(cat "$T_TMP/holder.pid")
started "$holder"
map_id=$(held_map_id "$holder")
[ -n "$map_id" ] || fail "pid $holder holds no map fd"
stop_daemon

sed -i 's/^mode = trace$/mode = lsm/' "$T_CONF"
start_daemon
expect_match "$(cn status)" '^mode: lsm$' "mode after the restart"
wait_until "pid $holder named in lsm mode" holder_named
expect_record "op=tamper opid=$holder contid=61 old-contid=-1 reason=[0-9A-F]+ res=1" \
	"the holder recorded with its container"
# What it holds it keeps; a new one it does not get.
expect_eq "$(cn run --id 61 -- bpf-attack fs obj-get "$T_PIN/labels")" "$refused" \
	"a new fd to the labels map in lsm mode"
kill "$holder"
wait_until "pid $holder no longer named" holder_gone
kill_started
stop_daemon
