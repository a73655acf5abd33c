# SPDX-License-Identifier: GPL-2.0-only
# Container lifecycle records: namespaces at registration and on unshare, joins by setns, drops.
. "$(dirname "$0")/../lib/harness.sh"

# child_of PID: sets $child to PID's first child, once it has one.
has_child()
{
	child=$(pgrep -P "$1" | head -n 1)
	[ -n "$child" ]
}
child_of()
{
	wait_until "a child of pid $1" has_child "$1"
}

start_daemon
expect_match "$(cn status)" "ns_tracking +available" "setns/unshare tracking"

# A container with its own pid and mount namespaces, as a runtime makes them.
unshare --pid --mount --fork sleep 60 &
unshared=$!
child_of "$unshared"
box=$child
cn set "$box" 21 --name nsbox >/dev/null || fail "set of the namespaced process"
expect_record "type=CONTAINER_NS .*op=register opid=$box contid=21 mnt_ns=$(stat -L -c %i /proc/$box/ns/mnt) .*pid_ns=$(stat -L -c %i /proc/$box/ns/pid) " \
	"namespace record at registration"

# nsenter into its pid and mount namespaces: the entering process joins (default policy).
nsenter --target "$box" --pid --mount -- sleep 60 &
enterer=$!
child_of "$enterer"
entered=$child
expect_eq "$(cn get "$entered")" "21 nsbox" "process entered by setns carries the contid"
expect_record "op=join opid=$enterer contid=21 old-contid=-1 name=\"nsbox\" res=1\$" "join record"
expect_match "$(cn --json status | jq -r .counters.joined)" "^[1-9]" "joined counter"
# Entering only one of the two namespaces is not entering the container.
nsenter --target "$box" --mount -- sleep 60 &
half=$!
# nsenter execs sleep once it is in the mount namespace.
half_entered()
{
	[ "$(cat "/proc/$half/comm" 2>/dev/null)" = sleep ] &&
		[ "$(stat -L -c %i "/proc/$half/ns/mnt")" = "$(stat -L -c %i "/proc/$box/ns/mnt")" ]
}
wait_until "nsenter --mount enters the box's mount namespace" half_entered
expect_eq "$(cn get "$half")" unset "mount namespace alone does not join"

# A labelled process that setns()es is recorded with old and new namespace, and stays in its container.
cn run --id 24 -- nsenter --target "$box" --mount -- sh -c 'echo $$ >'"$T_TMP"'/setns.pid; exec sleep 60' &
setns_runner=$!
wait_for_file "$T_TMP/setns.pid"
setns_pid=$(cat "$T_TMP/setns.pid")
expect_record "type=CONTAINER_NS .*op=setns opid=$setns_pid contid=24 old-mnt_ns=$(stat -L -c %i /proc/$$/ns/mnt) mnt_ns=$(stat -L -c %i /proc/$box/ns/mnt)\$" \
	"setns record"
expect_eq "$(cn get "$setns_pid")" 24 "a labelled process keeps its contid across setns"
kill "$setns_pid"
wait "$setns_runner"

# A labelled process that unshares is recorded with old and new namespace.
cn run --id 22 -- unshare --uts sh -c 'echo $$ >'"$T_TMP"'/uts.pid; exec sleep 60' &
runner=$!
wait_for_file "$T_TMP/uts.pid"
uts_pid=$(cat "$T_TMP/uts.pid")
expect_record "type=CONTAINER_NS .*op=unshare opid=$uts_pid contid=22 old-uts_ns=$(stat -L -c %i /proc/$$/ns/uts) uts_ns=$(stat -L -c %i /proc/$uts_pid/ns/uts)\$" \
	"unshare record"

# Drop: the last process of 22 exits; its contid is free again.
kill "$uts_pid"
wait "$runner"
expect_record "op=drop opid=$uts_pid contid=-1 old-contid=22 res=1\$" "drop record"
expect_eq "$(cn run --id 22 --name again -- sh -c "\"$CANISTER\" --socket \"$T_SOCK\" get \$\$")" "22 again" \
	"a dropped contid is free for reuse"

# A container whose processes all exit while canisterd is stopped is dropped at its restart.
stop_daemon
kill "$entered" "$box" "$half" 2>/dev/null
wait "$enterer" "$unshared" "$half" 2>/dev/null
no_record "op=drop .*old-contid=21 " "no drop while canisterd was stopped"
start_daemon
expect_record "op=drop opid=$box contid=-1 old-contid=21 name=\"nsbox\" res=1\$" "drop after restart"

# join_policy = record: an entering process stays outside, and that is recorded (res=0).
stop_daemon
echo "join_policy = record" >>"$T_CONF"
start_daemon
expect_eq "$(cn --json status | jq -r .daemon.join_policy)" record "join_policy in status"
unshare --pid --mount --fork sleep 60 &
unshared=$!
child_of "$unshared"
box=$child
cn set "$box" 23 >/dev/null || fail "set of the second namespaced process"
nsenter --target "$box" --pid --mount -- sleep 60 &
enterer=$!
child_of "$enterer"
entered=$child
expect_record "op=join opid=$enterer contid=23 old-contid=-1 reason=[0-9A-F]+ res=0\$" "join recorded, not labelled"
expect_eq "$(cn get "$entered")" unset "record policy leaves the process unlabelled"
kill "$entered" "$box" 2>/dev/null
wait "$enterer" "$unshared" 2>/dev/null
stop_daemon
