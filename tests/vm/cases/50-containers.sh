# SPDX-License-Identifier: GPL-2.0-only
# canister: containers in lsm mode: nesting by a delegate, joins by setns, drops, the registration race.
# shellcheck source=tests/lib/harness.sh
. "${T_LIB:-$(dirname "$0")/../../lib}/harness.sh"

start_daemon
expect_match "$(cn status)" '^mode: lsm$' "mode"
expect_match "$(cn status)" "ns_tracking +available" "setns/unshare tracking on the stock kernel"

# child_of PID: sets $child to PID's first child, once it has one.
has_child()
{
	child=$(cat /proc/"$1"/task/*/children 2>/dev/null | tr -d ' ')
	[ -n "$child" ]
}
child_of()
{
	wait_until "a child of pid $1" has_child "$1"
}

# A delegated orchestrator in container 2 nests container 4.
cn run --id 2 --name outer -- sh -c '
	echo $$ >'"$T_TMP"'/outer.pid
	sh '"$T_AWAIT"' '"$T_TMP"'/go || exit 1
	canister --socket '"$T_SOCK"' run --id 4 --name inner -- sh -c "canister --socket '"$T_SOCK"' get \$\$" >'"$T_TMP"'/inner.out 2>&1' &
runner=$!
wait_for_file "$T_TMP/outer.pid"
cn delegate "$(cat "$T_TMP/outer.pid")" >/dev/null || fail "delegate"
touch "$T_TMP/go"
wait "$runner"
expect_eq "$(cat "$T_TMP/inner.out")" "4,^2 inner" "nested chain in lsm mode"
expect_record "op=drop opid=[0-9]+ contid=-1 old-contid=4 name=\"inner\" res=1\$" "drop of the nested container"
expect_record "op=drop opid=[0-9]+ contid=-1 old-contid=2 name=\"outer\" res=1\$" "drop of the outer container"

# Joins by setns: a process entering the container's pid and mount namespaces.
unshare --pid --mount --fork sleep 60 &
unshared=$!
child_of "$unshared"
box=$child
cn set "$box" 21 --name nsbox >/dev/null || fail "set of the namespaced process"
nsenter --target "$box" --pid --mount sleep 60 &
enterer=$!
child_of "$enterer"
entered=$child
expect_eq "$(cn get "$entered")" "21 nsbox" "process entered by setns"
expect_record "op=join opid=$enterer contid=21 old-contid=-1 name=\"nsbox\" res=1\$" "join record"
kill "$entered" "$box" 2>/dev/null
wait "$enterer" "$unshared" 2>/dev/null

# The registration race, fewer rounds under emulation.
out=$(tool registration-race "$T_SOCK" 300 300) || fail "registration race: $out"
expect_match "$out" "violations=0\$" "no child left out"
stop_daemon
