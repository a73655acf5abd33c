# SPDX-License-Identifier: GPL-2.0-only
# canister: trace mode: the model observers (tests/tools/model-observe, no canisterd model) report a wanted container's signals (to a sibling: not crossing; to a host process: crossing; one by rt_sigqueueinfo with a made-up si_code, an attacker's way to pass as the kernel), ptrace attach, TCP socket create/bind/listen/connect/accept, setuid and setgid, a tmpfs mount in its own mount namespace, a capability used and a PROT_EXEC mapping, each with the fields its CELL hashes; a host process and an unwanted container doing the same give nothing.
. "${T_LIB:-$(dirname "$0")/../lib}/harness.sh"

OBSERVE="${CANISTER_TOOLS:+$CANISTER_TOOLS/}model-observe"
WORKLOAD="${CANISTER_TOOLS:+$CANISTER_TOOLS/}model-workload"
MODEL_PIN="$T_BPFFS/canister-test-model-$$"
EVENTS="$T_TMP/events.jsonl"
observer=

# shellcheck disable=SC2317 # called from the EXIT trap
stop_all()
{
	kill_workloads
	if [ -n "$observer" ]; then
		kill -TERM "$observer" 2>/dev/null
		wait "$observer" 2>/dev/null
	fi
	rmdir "$MODEL_PIN" 2>/dev/null
}
trap 'stop_all; t_cleanup' EXIT

start_daemon
mkdir "$MODEL_PIN" || fail "cannot make $MODEL_PIN"
head -c 4096 /dev/urandom >"$T_TMP/lib.bin"
lib_digest=$(sha256sum "$T_TMP/lib.bin" | cut -d' ' -f1)

# A host process to signal (SIGCONT: harmless), unlabelled.
sleep 600 &
host_pid=$!
started "$host_pid"

# workload TAG PORT [CN-RUN-ARGS...]: tests/tools/model-workload (every event once, from one
# process that stays until told), on the host or in a container; waits until it is done.
workload()
{
	wl_tag=$1 wl_port=$2
	shift 2
	if [ $# -gt 0 ]; then
		cn run "$@" -- "$WORKLOAD" "$host_pid" "$wl_port" "$T_TMP/lib.bin" "$T_TMP/done-$wl_tag" \
			>"$T_TMP/$wl_tag.out" 2>&1 &
	else
		"$WORKLOAD" "$host_pid" "$wl_port" "$T_TMP/lib.bin" "$T_TMP/done-$wl_tag" \
			>"$T_TMP/$wl_tag.out" 2>&1 &
	fi
	started $!
	wait_for_line "$T_TMP/done-$wl_tag" '^(ok|failed)' "the $wl_tag workload"
	started "$(cut -d' ' -f2 "$T_TMP/done-$wl_tag")"
	grep -q '^ok ' "$T_TMP/done-$wl_tag" || fail "the $wl_tag workload failed: $(cat "$T_TMP/$wl_tag.out")"
}

# Ends the workloads (their pids are in their done files).
kill_workloads()
{
	for kw_done in "$T_TMP"/done-*; do
		[ -f "$kw_done" ] && kill -TERM "$(cut -d' ' -f2 "$kw_done")" 2>/dev/null
	done
}

"$OBSERVE" --identity-pin "$T_PIN" --pin "$MODEL_PIN" --contid 1351 --ready "$T_TMP/ready" \
	>"$EVENTS" 2>"$T_TMP/observe.err" &
observer=$!
poll_until "$T_WAIT" test -e "$T_TMP/ready" || fail "no observers: $(cat "$T_TMP/observe.err")"
grep -qx 'origins: kept' "$T_TMP/observe.err" ||
	fail "forked processes' origins not kept: $(grep '^origins' "$T_TMP/observe.err")"
for event in task_kill ptrace_access_check socket_create socket_bind socket_connect socket_listen \
	socket_accept capable task_fix_setuid task_fix_setgid sb_mount mmap_file; do
	grep -q "^available $event: " "$T_TMP/observe.err" ||
		fail "$event not observed in trace mode: $(grep " $event: " "$T_TMP/observe.err")"
done
[ -e "$MODEL_PIN/model_task_kill_signal_generate" ] ||
	fail "no pinned links in $MODEL_PIN: $(ls "$MODEL_PIN")"

# The host, then an unwanted container, then the wanted one: only the last is reported.
workload host 7350
workload unwanted 7352 --id 1352
workload wanted 7351 --id 1351
# The marker's bind is the wanted workload's last event; the ring buffer keeps their order.
wait_for_line "$EVENTS" '"socket_bind": \{ "family": "2", "type": "1", "protocol": "6", "port": "7361"' \
	"the wanted container's last bind"

# jq FILTER over the events; prints what matched.
ev() { jq -c "$1" "$EVENTS"; }
expect_eq "$(ev 'select(.event.contid != "1351") | .event.contid' | sort -u)" "" \
	"only container 1351 is reported (not the host, not 1352)"
expect_eq "$(ev 'select(.event.type == "task_kill") | .task_kill | [.signal, .cross_container]' | sort -u)" \
	'["18","0"]
["18","1"]
["28","0"]' "SIGCONT to the sibling (same container) and to the host process (crossing); the attack: SIGWINCH by rt_sigqueueinfo with a made-up si_code"
expect_match "$(ev 'select(.event.type == "ptrace_access_check") | .ptrace_access_check.mode')" \
	'^"18"$' "ptrace attach, PTRACE_MODE_ATTACH_REALCREDS"
expect_match "$(ev 'select(.event.type == "socket_create") | .socket_create | [.family, .type, .kern]')" \
	'\["2","1","0"\]' "a TCP socket created"
expect_eq "$(ev 'select(.event.type == "socket_bind" and .socket_bind.port == "7351") | .socket_bind | [.family, .type, .protocol, .addr]')" \
	'["2","1","6","127.0.0.1"]' "the listener's bind"
expect_eq "$(ev 'select(.event.type == "socket_listen") | .socket_listen | [.family, .type, .protocol, .backlog]')" \
	'["2","1","6","64"]' "listen(fd, 64)"
expect_eq "$(ev 'select(.event.type == "socket_connect" and .socket_connect.port == "7351") | .socket_connect.addr')" \
	'"127.0.0.1"' "the connect"
expect_eq "$(ev 'select(.event.type == "socket_accept") | .socket_accept | [.port, .addr]' | sort -u)" \
	'["7351","127.0.0.1"]' "accept: the listening socket's address"
expect_eq "$(ev 'select(.event.type == "socket_bind" and .socket_bind.port == "7361") | .COE | [.uid, .euid]')" \
	'["1000","1000"]' "the marker bound after setreuid: the COE is the new credentials"
expect_match "$(ev 'select(.event.type == "task_fix_setuid") | .task_fix_setuid | [.uid, .euid, .flags]')" \
	'\["1000","1000","2"\]' "setreuid(1000, 1000): the new ids, LSM_SETID_RE"
expect_match "$(ev 'select(.event.type == "task_fix_setuid" and .task_fix_setuid.uid == "1000") | .COE.uid')" \
	'^"0"$' "the COE is the credentials before the change"
expect_match "$(ev 'select(.event.type == "task_fix_setgid") | .task_fix_setgid | [.gid, .egid]')" \
	'\["1000","1000"\]' "setregid(1000, 1000)"
expect_eq "$(ev 'select(.event.type == "sb_mount") | .sb_mount | [.dev_name, .path.pathname, .type, .flags]')" \
	'["","/","","278528"]
["cnt135","/mnt","tmpfs","0"]' "the mounts: / made private (MS_REC|MS_PRIVATE, no device or type), the tmpfs"
expect_match "$(ev 'select(.event.type == "capable") | .capable.cap' | sort -u | tr '\n' ' ')" \
	'"21"' "CAP_SYS_ADMIN used (the mount)"
expect_eq "$(ev "select(.event.type == \"mmap_file\" and .mmap_file.file.path.pathname == \"$T_TMP/lib.bin\") | .mmap_file | [.type, .file.digest]")" \
	"[\"0\",\"$lib_digest\"]" "the PROT_EXEC mapping, with the file's digest"
# Every line's coefficient recomputes from its fields.
python3 "$(dirname "$0")/../tools/model-recompute.py" "$EVENTS" >"$T_TMP/recompute.out" 2>&1 ||
	fail "coefficients do not recompute: $(head -5 "$T_TMP/recompute.out")"

kill_workloads
kill -TERM "$observer"
wait "$observer" || fail "model-observe exited with $?: $(tail -3 "$T_TMP/observe.err")"
observer=
grep -Eq '^counts emitted=[1-9][0-9]* over_budget=0 ring_full=0 stash_full=0 decoded=[1-9][0-9]* malformed=0' \
	"$T_TMP/observe.err" || fail "counters: $(grep '^counts' "$T_TMP/observe.err")"
expect_eq "$(ls -A "$MODEL_PIN")" "" "the observers' pins removed at close"
exit 0
