# SPDX-License-Identifier: GPL-2.0-only
# canister: trace mode (the host kernel runs no BPF LSM programs): a held policy's TCP ports deny nothing, but each bind and connect of a labelled process that a level would refuse (and a listen() that binds to port 0 on its own, op=autobind) is recorded from the syscall tracepoints (cause=recorded-only, mode=complain, res=1), an enforcing container's too; granted ones and host processes are not recorded.
. "${T_LIB:-$(dirname "$0")/../lib}/harness.sh"

TCP_TRY="${CANISTER_TOOLS:+$CANISTER_TOOLS/}tcp-try"
cat >"$T_TMP/net.policy" <<'POLICY'
net handle bind,connect
net allow connect 9090
POLICY
chmod 0644 "$T_TMP/net.policy"

start_daemon
grep -q 'access: trace-mode recorder on' "$T_LOG" ||
	fail "no trace-mode recorder: $(grep 'access' "$T_LOG" | grep -v libbpf | tail -20)"
expect_match "$(cn status)" '^  net bind: canisterd: recorded only \(trace mode: no BPF LSM; syscall tracepoints\)' \
	"the status says the ports are recorded only"

# Not through tool (a function): in the background it would be a subshell, and $! not the listener.
for port in 9090 9091; do
	"$TCP_TRY" listen "$port" "$T_TMP/listen-$port" &
	started $!
	wait_for_file "$T_TMP/listen-$port"
done

# A container (enforce) that binds and connects once told to; the last bind is the marker.
mkfifo "$T_TMP/go"
sh -c "echo \$\$ >'$T_TMP/pid'; read x <'$T_TMP/go'; '$TCP_TRY' bind 7101; '$TCP_TRY' connect 9091;
	'$TCP_TRY' connect 9090; '$TCP_TRY' bind 7102 6; '$TCP_TRY' fastopen 9092; '$TCP_TRY' autobind; '$TCP_TRY' bind 7199 >'$T_TMP/out.tmp' &&
	mv '$T_TMP/out.tmp' '$T_TMP/marker'" >"$T_TMP/out" 2>&1 &
started $!
wait_for_file "$T_TMP/pid"
cn set "$(cat "$T_TMP/pid")" 1280 >/dev/null || fail "cannot register container 1280"
cn policy load 1280 "$T_TMP/net.policy" >/dev/null || fail "policy load 1280"
# A host process beside it: never recorded.
expect_eq "$(tool tcp-try bind 7103)" ok "a host bind"
echo go >"$T_TMP/go"
wait_for_file "$T_TMP/marker"
# Nothing denied: trace mode has no hook that could.
expect_eq "$(cat "$T_TMP/out")" "ok
ok
ok
ok
sendto: Connection refused
ok" "enforce in trace mode denies nothing"
# The marker's record is the last report of the one ring buffer: every other one is in.
expect_record 'op=bind contid=1280 by=1280 pid=[0-9]+ (exe=[^ ]+ )?target="tcp:7199" right=bind cause=recorded-only mode=complain res=1' \
	"the marker's record"
recorded=$(grep -E 'op=(bind|connect) contid=1280 ' "$T_AUDIT" |
	sed -n 's/.* target="\(tcp:[0-9]*\)" right=\([a-z]*\) cause=recorded-only mode=complain res=1$/\2 \1/p' |
	grep -v 'tcp:7199' | sort | tr '\n' ' ')
expect_eq "$recorded" "bind tcp:7101 bind tcp:7102 connect tcp:9091 connect tcp:9092 " \
	"what is recorded: the refusals (a TCP Fast Open connect too), not the grant"
# A listen() on a socket never bound: the bind to port 0 it makes, recorded as an autobind.
expect_record 'op=autobind contid=1280 by=1280 pid=[0-9]+ (exe=[^ ]+ )?target="tcp:0" right=bind cause=recorded-only mode=complain res=1' \
	"the autobind's record"
no_record 'target="tcp:7103"' "a host process's bind"
exit 0
