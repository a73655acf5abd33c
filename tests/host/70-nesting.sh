# SPDX-License-Identifier: GPL-2.0-only
# Nesting and delegation through the CLI: chains, names, EMLINK, ENOTUNIQ, EXDEV, owner joins.
. "$(dirname "$0")/../lib/harness.sh"

echo "nest_limit = 2" >>"$T_CONF"
start_daemon
expect_eq "$(cn --json status | jq -r .daemon.nest_limit)" 2 "nest_limit in status"

# A host container 6 that the delegate below does not own.
cn run --id 6 --name six -- sh -c 'echo $$ >'"$T_TMP"'/six.pid; exec sleep 60' &
six_runner=$!
wait_for_file "$T_TMP/six.pid"
sleep 60 &
stranger=$!

# The orchestrator inside container 2: it acts once the host has delegated to it.
cat >"$T_TMP/outer.sh" <<SCRIPT
cn() { "$CANISTER" --socket "$T_SOCK" "\$@"; }
echo \$\$ >"$T_TMP/outer.pid"
sh "$T_AWAIT" "$T_TMP/go" || exit 1
# Nested container 4, whose init later tries to nest deeper.
cn run --id 4 --name inner -- sh -c '
	echo \$\$ >"$T_TMP/inner.pid"
	"$CANISTER" --socket "$T_SOCK" get \$\$ >"$T_TMP/inner.out" 2>&1
	sh "$T_AWAIT" "$T_TMP/inner.go" || exit 1
	"$CANISTER" --socket "$T_SOCK" run --id 8 -- true >"$T_TMP/deep.out" 2>&1
	exec sleep 60' &
sh "$T_AWAIT" -s "$T_TMP/inner.out" || exit 1
# The owner of 4 adds a process to it; others' contids and processes are refused.
cn run --id 4 -- sh -c '"$CANISTER" --socket "$T_SOCK" get \$\$' >"$T_TMP/join.out" 2>&1
cn run --id 6 -- true >"$T_TMP/foreign.out" 2>&1
cn set $stranger 9 >"$T_TMP/stranger.out" 2>&1
echo done >"$T_TMP/outer.done"
exec sleep 60
SCRIPT
cn run --id 2 --name outer -- sh "$T_TMP/outer.sh" &
runner=$!
wait_for_file "$T_TMP/outer.pid"
outer=$(cat "$T_TMP/outer.pid")
expect_eq "$(cn get "$outer")" "2 outer" "get prints contid and name"
expect_eq "$(cn --json get "$outer" | jq -r .delegated)" false "not delegated yet"

cn delegate "$outer" >/dev/null || fail "delegate failed"
expect_eq "$(cn --json get "$outer" | jq -r .delegated)" true "delegated"
touch "$T_TMP/go"
wait_for_file "$T_TMP/outer.done"

expect_eq "$(cat "$T_TMP/inner.out")" "4,^2 inner" "nested chain and name"
expect_eq "$(cn --json get "$(cat "$T_TMP/inner.pid")" | jq -c .chain)" '["4","2"]' "chain in JSON"
expect_record "op=set opid=[0-9]+ contid=4 old-contid=2 name=\"inner\" pid=[0-9]+ auid=[0-9]+ uid=0 ses=[0-9]+ res=1\$" \
	"nested set record"
expect_record "type=CONTAINER_NS .*op=register opid=[0-9]+ contid=4,\\^2 mnt_ns=[0-9]+ " "nested namespace record"

expect_eq "$(cat "$T_TMP/join.out")" "4,^2 inner" "the owner joins its live container"
expect_record "op=join opid=[0-9]+ contid=4 old-contid=2 name=\"inner\" .*res=1\$" "join record"

expect_eq "$(cat "$T_TMP/foreign.out")" "canister: contid 6 belongs to another orchestrator" "ENOTUNIQ (owner)"
expect_match "$(cat "$T_TMP/stranger.out")" "^canister: pid $stranger is not a descendant of the delegated caller \\(pid [0-9]+\\)\$" \
	"EXDEV (not a descendant)"
expect_eq "$(cn get "$stranger")" unset "the stranger stays outside"

# The container 4 init is not delegated: registration does not pass the delegation on.
inner=$(cat "$T_TMP/inner.pid")
expect_eq "$(cn --json get "$inner" | jq -r .delegated)" false "a registered init holds no delegation"
cn delegate "$inner" >/dev/null || fail "delegate inner"
touch "$T_TMP/inner.go"
wait_for_file "$T_TMP/deep.out"
expect_eq "$(cat "$T_TMP/deep.out")" "canister: container 8 would nest 3 deep; the limit is 2" "EMLINK"
expect_record "op=set opid=[0-9]+ contid=8 old-contid=4 .*errno=EMLINK .*res=0\$" "EMLINK record"

# ENOTUNIQ for a name, and the host joining its own container.
out=$(cn run --id 6 --name other -- true 2>&1) && fail "rebinding a live contid to another name succeeded"
expect_eq "$out" 'canister: contid 6 is bound to the name "six"' "ENOTUNIQ (name)"
expect_record "op=set opid=[0-9]+ contid=6 old-contid=-1 name=\"other\" .*errno=ENOTUNIQ .*res=0\$" "ENOTUNIQ record"
expect_eq "$(cn run --id 6 -- sh -c "\"$CANISTER\" --socket \"$T_SOCK\" get \$\$")" "6 six" "host joins its own container"

# Delegation needs the host.
out=$(cn run --id 12 -- "$CANISTER" --socket "$T_SOCK" delegate "$stranger" 2>&1) && fail "a labelled process delegated"
expect_match "$out" "only the host may delegate" "delegate EPERM"

# canister ps: chain, name, process counts, owner.
ps_out=$(cn ps)
expect_match "$ps_out" "^CONTID +NAME +PROCS +FIRST-PID +OWNER +AGE" "ps header"
expect_match "$ps_out" "^2 +outer +[0-9]+ +$outer +host " "ps row of 2"
expect_match "$ps_out" "^4,\\^2 +inner +1 +$inner +delegation [0-9]+ " "ps row of nested 4"
expect_match "$ps_out" "^6 +six +1 +[0-9]+ +host " "ps row of 6 after its joiner left"

# A rootless orchestrator: inside its own user namespace it lacks the host's
# CAP_AUDIT_CONTROL, and registers its child only once delegated.
cat >"$T_TMP/rootless.sh" <<SCRIPT
echo \$\$ >"$T_TMP/rootless.pid"
sh "$T_AWAIT" "$T_TMP/rootless.go" || exit 1
"$CANISTER" --socket "$T_SOCK" run --id 30 --name rootless -- sh -c '"$CANISTER" --socket "$T_SOCK" get \$\$' >"$T_TMP/rootless.out" 2>&1
SCRIPT
out=$(unshare --user --map-root-user "$CANISTER" --socket "$T_SOCK" run --id 31 -- true 2>&1) &&
	fail "a process in its own user namespace registered without a delegation"
expect_match "$out" "lacks CAP_AUDIT_CONTROL in the initial user namespace" "EPERM in a user namespace"
unshare --user --map-root-user sh "$T_TMP/rootless.sh" &
rootless_runner=$!
wait_for_file "$T_TMP/rootless.pid"
cn delegate "$(cat "$T_TMP/rootless.pid")" >/dev/null || fail "delegate to the rootless orchestrator"
touch "$T_TMP/rootless.go"
wait "$rootless_runner"
expect_eq "$(cat "$T_TMP/rootless.out")" "30 rootless" "a delegated orchestrator in a user namespace"

# A caller in another pid namespace is refused: its pids would name other processes.
out=$(unshare --pid --fork "$CANISTER" --socket "$T_SOCK" get 1 2>&1) && fail "get from another pid namespace"
expect_match "$out" "is in another pid namespace" "pid namespace refused"
out=$(unshare --pid --fork "$CANISTER" --socket "$T_SOCK" run --id 33 -- true 2>&1) &&
	fail "run from another pid namespace"
expect_match "$out" "is in another pid namespace" "registration from another pid namespace"

# Delegations are records too.
expect_record "op=delegate opid=$outer contid=2 old-contid=2 delegation=[1-9][0-9]* pid=[0-9]+ .*res=1\$" "delegate record"
expect_record "op=delegate opid=$stranger contid=-1 old-contid=-1 delegation=0 .*errno=EPERM .*res=0\$" \
	"refused delegation record"

# canister log: the records of one container, and of those nested in it.
log6=$(cn log 6)
expect_match "$log6" "op=set opid=[0-9]+ contid=6 old-contid=-1 name=\"six\" .*res=1" "log 6 has its registration"
printf '%s\n' "$log6" | grep -q "contid=4" && fail "log 6 shows records of container 4"
expect_match "$(cn log 2)" "op=register opid=[0-9]+ contid=4,\\^2 " "log 2 includes its nested container"

kill "$stranger" "$(cat "$T_TMP/six.pid")" "$inner" "$outer" 2>/dev/null
wait "$runner" "$six_runner" "$stranger" 2>/dev/null
expect_record "op=drop opid=[0-9]+ contid=-1 old-contid=6 name=\"six\" res=1\$" "drop of 6"
expect_record "op=drop opid=$inner contid=-1 old-contid=4 name=\"inner\" res=1\$" "drop of 4"
expect_record "op=drop opid=$outer contid=-1 old-contid=2 name=\"outer\" res=1\$" "drop of 2"
none_left() { [ "$(cn ps --json | jq '.containers | length')" = 0 ]; }
wait_until "no container left" none_left
stop_daemon
