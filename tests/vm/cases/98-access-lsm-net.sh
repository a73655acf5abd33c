# SPDX-License-Identifier: GPL-2.0-only
# canister: lsm mode: BPF LSM enforces a held policy's TCP ports (loaded by `canister policy load`, so Landlock plays no part): enforce refuses a bind, a connect and a TCP Fast Open connect it does not grant and lets the granted one through, complain lets all through and records exactly what enforce refuses, a nested container that widens stays bound, host processes are untouched, and the pinned programs refuse with canisterd killed.
. "${T_LIB:-$(dirname "$0")/../../lib}/harness.sh"
. "${T_LIB:-$(dirname "$0")/../../lib}/integrity.sh"

ip link set lo up || fail "cannot bring the loopback up"
# TCP Fast Open's client side (the kernel's default, said here): a connect by sendto().
echo 1 >/proc/sys/net/ipv4/tcp_fastopen || fail "cannot enable TCP Fast Open's client side"
cat >"$T_TMP/net.policy" <<'POLICY'
net handle bind,connect
net allow connect 8080
POLICY
# Widens every port: the intersection with its parent's grants nothing more.
cat >"$T_TMP/wide.policy" <<'POLICY'
net handle bind,connect
net allow bind,connect 0-65535
POLICY
denied='Permission denied'

start_daemon
grep -q 'access: BPF LSM on' "$T_LOG" || fail "no BPF LSM for access: $(grep 'access' "$T_LOG" | grep -v libbpf | tail -20)"
expect_match "$(cn status)" '^  net bind: canisterd: enforced: BPF LSM, in the kernel' "the status says BPF LSM decides"

# The guard covers the maps: a labelled root cannot open them, host root can.
for map in access_policies access_ports access_reports access_counts; do
	expect_eq "$(tool bpf-obj-get "$T_PIN/$map")" ok "host root opening the $map map"
	expect_eq "$(cn run --id 982 -- bpf-obj-get "$T_PIN/$map")" "refused: Operation not permitted" \
		"labelled root opening the $map map"
done

# Host listeners: the ports a container connects to (one granted, one not).
# Not through tool (a function): in the background it would be a subshell, and $! not the listener.
for port in 8080 9090; do
	"${CANISTER_TOOLS:+$CANISTER_TOOLS/}tcp-try" listen "$port" "$T_TMP/listen-$port" &
	started $!
	wait_for_file "$T_TMP/listen-$port"
done

worker_start 980
cn policy load 980 "$T_TMP/net.policy" >/dev/null || fail "policy load 980 (enforce)"
expect_match "$(cn policy show 980)" '^# net connect: canisterd: enforced: BPF LSM, in the kernel, canisterd running or not$' \
	"policy show says BPF LSM enforces the ports"
# One bind and one connect refused, a bind over IPv6 too, the granted connect through (exe= is
# left out of a record whose process ended before canisterd read the report).
# A connect by TCP Fast Open (sendto) to 9092, where nothing listens, is a connect too.
steps='tcp-try bind 7001; tcp-try connect 8080; tcp-try connect 9090; tcp-try bind 7002 6; tcp-try fastopen 9092'
expect_eq "$(worker_step 1 "$steps")" "bind: $denied
ok
connect: $denied
bind: $denied
sendto: $denied" "enforce"
for target in tcp:7001 tcp:9090 tcp:7002 tcp:9092; do
	expect_record "op=(bind|connect) contid=980 by=980 pid=[0-9]+ (exe=[^ ]+ )?target=\"$target\" right=(bind|connect) cause=not-granted mode=enforce res=0" \
		"the record of the refused $target"
done
# Host processes are never a policy's subject.
expect_eq "$(tool tcp-try bind 7001; tool tcp-try connect 9090)" "ok
ok" "host processes beside an enforcing container"

# Complain: everything through, and recorded exactly what enforce refused.
cn policy load 980 "$T_TMP/net.policy" --complain >/dev/null || fail "policy load 980 --complain"
expect_eq "$(worker_step 2 "$steps; tcp-try bind 7999")" "ok
ok
ok
ok
sendto: Connection refused
ok" "complain"
# The marker's record comes last (one ring buffer, one reader, one queue): the others are in.
expect_record 'target="tcp:7999" right=bind cause=not-granted mode=complain res=1' "the marker's complain record"
complained=$(grep -E 'op=(bind|connect) contid=980 .* mode=complain res=1' "$T_AUDIT" |
	sed -n 's/.* target="\(tcp:[0-9]*\)" right=\([a-z]*\) .*/\2 \1/p' | grep -v 'tcp:7999' | sort | tr '\n' ' ')
enforced=$(grep -E 'op=(bind|connect) contid=980 .* mode=enforce res=0' "$T_AUDIT" |
	sed -n 's/.* target="\(tcp:[0-9]*\)" right=\([a-z]*\) .*/\2 \1/p' | sort | tr '\n' ' ')
expect_eq "$complained" "bind tcp:7001 bind tcp:7002 connect tcp:9090 connect tcp:9092 " "complain's records"
expect_eq "$complained" "$enforced" "complain records what enforce refuses"

# A nested container (registered by 980, delegated) that widens stays within 980's grants.
cn policy load 980 "$T_TMP/net.policy" >/dev/null || fail "policy load 980 (enforce again)"
cn delegate "$(cat "$T_TMP/worker.pid")" >/dev/null || fail "delegate container 980's worker"
expect_eq "$(worker_step 3 "'$CANISTER' --socket '$T_SOCK' run --id 981 --policy '$T_TMP/wide.policy' -- sh -c 'tcp-try bind 7003; tcp-try connect 9090; tcp-try connect 8080' 2>&1 | grep -v '^canister: policy'")" "bind: $denied
connect: $denied
ok" "a nested container that widens"
expect_record 'op=bind contid=981,\^980 by=980 pid=[0-9]+ (exe=[^ ]+ )?target="tcp:7003" right=bind cause=not-granted mode=enforce res=0' \
	"the nested refusal names the refusing level"

# canisterd killed: the pinned programs and maps go on refusing.
kill -KILL "$T_DAEMON_PID"
wait "$T_DAEMON_PID" 2>/dev/null
T_DAEMON_PID=
expect_eq "$(worker_step 4 'tcp-try bind 7005; tcp-try connect 8080; tcp-try connect 9090')" "bind: $denied
ok
connect: $denied" "enforce with canisterd killed"
expect_eq "$(tool tcp-try bind 7005)" ok "a host process with canisterd killed"
# Back: the pinned ring buffer kept what was refused meanwhile.
start_daemon
expect_record 'op=bind contid=980 by=980 pid=[0-9]+ (exe=[^ ]+ )?target="tcp:7005" right=bind cause=not-granted mode=enforce res=0' \
	"the record of a refusal made while canisterd was gone"
exit 0
