# SPDX-License-Identifier: GPL-2.0-only
# canister: helpers for shell test cases (host and VM layers); POSIX sh, so busybox runs it too.
#
# A case script sources this file, calls start_daemon, asserts, and exits 0 on
# success.  Each case gets its own temporary directory, bpffs pin path and
# control socket, and the EXIT trap stops its daemon and removes its pins, so
# cases never see each other's state or the host's real configuration.
#
# Cases hold on a loaded machine: nothing waits a fixed time and then assumes
# that something happened.  A case waits for the event itself (wait_until,
# wait_for_file, wait_for_line, expect_record; $T_AWAIT in the processes it
# starts), each with a generous deadline, and a check that something did NOT
# happen first waits for a later event that proves the first one would have
# been seen (a marker record written after it, a counter that moved).
#
# A case that owns the kernel audit stream (kernel_audit = on or auto) calls
# kernel_audit_free before anything else: it takes /tmp/canister-kaudit.lock
# for the case's whole run (tests/lib/kaudit-lock.sh), so that such cases and
# the audit benchmarks never run two at a time, also across worktrees, and
# says whom it waits for.  start_daemon refuses kernel_audit = on or auto
# without it, and writes kernel_audit = off into a config that does not set it.
#
# The runner exports CANISTERD and CANISTER (binaries under test).  With
# T_KEEP set, a case that fails leaves its temporary directory (logs, config)
# behind for a look.

: "${CANISTERD:?CANISTERD must name the canisterd binary}"
: "${CANISTER:?CANISTER must name the canister binary}"
: "${T_BPFFS:=/sys/fs/bpf}"
: "${T_DAEMON_WAIT:=60}"
# Seconds a wait_until allows unless told otherwise: ample on a busy machine,
# where one round of `canister status --json | jq` may take a second.
: "${T_WAIT:=60}"
: "${T_LIB:=$(dirname "$0")/../lib}"

T_NAME=$(basename "$0" .sh)
# The shell's pid in the name tells the runner whose it is (tests/host/run checks for leftovers).
T_TMP=$(mktemp -d "${TMPDIR:-/tmp}/canister-$T_NAME-$$.XXXXXX") || exit 1
T_PIN="$T_BPFFS/canister-test-$T_NAME-$$"
T_SOCK="$T_TMP/control.sock"
T_CONF="$T_TMP/canister.conf"
T_LOG="$T_TMP/daemon.log"
T_AUDIT="$T_TMP/audit.log"
T_DAEMON_PID=
T_DAEMON_STARTED=

cat >"$T_CONF" <<CONF
# written by tests/lib/harness.sh for $T_NAME
pin_path = $T_PIN
control_socket = $T_SOCK
audit_log = $T_AUDIT
access_dir = $T_TMP/access
model_dir = $T_TMP/model
log_level = debug
CONF

# $T_AWAIT, for the processes a case starts (containers, orchestrators), which
# cannot call this file's functions: `sh "$T_AWAIT" [-s] FILE [SECONDS]` waits
# until FILE exists (-s: and is not empty), and fails after SECONDS (default
# 120) so that a process of a failed case does not wait forever.
T_AWAIT="$T_TMP/await"
cat >"$T_AWAIT" <<'AWAIT'
# await [-s] FILE [SECONDS]: written by tests/lib/harness.sh
test=-e
if [ "$1" = -s ]; then
	test=-s
	shift
fi
deadline=$(($(date +%s) + ${2:-120}))
until [ "$test" "$1" ]; do
	if [ "$(date +%s)" -ge "$deadline" ]; then
		echo "await: $1 did not appear within ${2:-120} s" >&2
		exit 1
	fi
	sleep 0.05
done
AWAIT

fail()
{
	T_FAILED=1
	echo "$T_NAME: $*" >&2
	if [ -s "$T_LOG" ]; then
		echo "--- daemon log ($T_LOG) ---" >&2
		tail -n 30 "$T_LOG" >&2
	fi
	exit 1
}

# cn ARGS...: the CLI, talking to this case's daemon.
cn()
{
	"$CANISTER" --socket "$T_SOCK" "$@"
}

# tool NAME ARGS...: a test tool from tests/tools ($CANISTER_TOOLS on the host, $PATH in the VM).
tool()
{
	name=$1
	shift
	"${CANISTER_TOOLS:+$CANISTER_TOOLS/}$name" "$@"
}

# expect_eq ACTUAL EXPECTED WHAT
expect_eq()
{
	[ "$1" = "$2" ] || fail "$3: expected '$2', got '$1'"
}

# expect_match TEXT PATTERN WHAT (grep -E pattern)
expect_match()
{
	printf '%s\n' "$1" | grep -Eq -- "$2" || fail "$3: '$2' not found in: $1"
}

# started_at PID: PID's start time (field 22 of /proc/PID/stat), which tells it
# apart from a later process given the same pid.
started_at()
{
	sa_stat=
	read -r sa_stat 2>/dev/null <"/proc/$1/stat" || return 1
	# The fields after the command name, which is in parentheses and may hold spaces.
	# shellcheck disable=SC2086 # split on purpose
	set -- ${sa_stat##*) }
	shift 19
	echo "$1"
}

# daemon_died: true when this case's canisterd has exited without being asked:
# it is gone (the shell reaps children as it runs commands, and `wait` still
# gives the status), a zombie, or its pid is a later process's.  A case that
# stops or kills canisterd waits for it and clears T_DAEMON_PID, as
# stop_daemon does.
daemon_died()
{
	[ -n "$T_DAEMON_PID" ] || return 1
	dd_stat=
	read -r dd_stat 2>/dev/null <"/proc/$T_DAEMON_PID/stat" || return 0
	dd_state=${dd_stat##*) }
	[ "${dd_state%% *}" != Z ] || return 0
	# The start time start_daemon saw, if it started this pid.
	[ "${T_DAEMON_STARTED%%:*}" = "$T_DAEMON_PID" ] &&
		[ "$(started_at "$T_DAEMON_PID")" != "${T_DAEMON_STARTED#*:}" ]
}

# poll_until SECONDS COMMAND...: runs COMMAND (a simple command or a function)
# every 0.1 s until it succeeds; false if it still fails once SECONDS of wall
# clock time have passed (time, not rounds: on a busy machine one round of
# COMMAND may take longer than the pause between two).  Fails the case at
# once if canisterd dies meanwhile, rather than let the wait run out.
poll_until()
{
	pu_deadline=$(($(date +%s) + $1))
	shift
	[ -n "${T_WAITING:-}" ] || T_WAITING=$*
	until "$@"; do
		if daemon_died; then
			wait "$T_DAEMON_PID"
			pu_status=$?
			pu_pid=$T_DAEMON_PID
			T_DAEMON_PID=
			fail "canisterd (pid $pu_pid) died with exit status $pu_status$([ "$pu_status" -gt 128 ] &&
				echo " (signal $((pu_status - 128)))") while the case waited"
		fi
		[ "$(date +%s)" -lt "$pu_deadline" ] || {
			T_WAITING=
			return 1
		}
		sleep 0.1
	done
	T_WAITING=
}

# wait_until [SECONDS] WHAT COMMAND...: waits until COMMAND succeeds (see
# poll_until), at most SECONDS (default T_WAIT); fails the case naming WHAT.
# next_second: returns just after the clock's second turns, for a case that must do several
# things within one second (a file's ctime).  Polling for the first 100 ms of a second with sleeps
# between polls missed that window for 5 s on a loaded machine (CI); this spins on date(1) for
# less than a second.
next_second()
{
	ns_s0=$(date +%s)
	while [ "$(date +%s)" = "$ns_s0" ]; do :; done
}

wait_until()
{
	wu_seconds=$T_WAIT
	case $1 in
	'' | *[!0-9]*) ;;
	*)
		wu_seconds=$1
		shift
		;;
	esac
	wu_what=$1
	shift
	T_WAITING=$wu_what
	poll_until "$wu_seconds" "$@" || fail "$wu_what: not within ${wu_seconds} s"
}

# daemon_answers: true once `canister status` answers (poll_until sees a daemon that died).
daemon_answers()
{
	cn status >/dev/null 2>&1
}

# start_daemon [ARGS...]: starts canisterd in the foreground with this case's
# config and waits until `canister status` answers.
start_daemon()
{
	if grep -Eq '^[[:space:]]*kernel_audit[[:space:]]*=[[:space:]]*(on|auto)' "$T_CONF" &&
		[ -z "${T_KAUDIT_LOCKED:-}" ]; then
		fail "kernel_audit = on or auto, but the case did not call kernel_audit_free first (it takes /tmp/canister-kaudit.lock)"
	fi
	# canisterd's default is kernel_audit = auto, which takes the kernel's audit
	# stream when it is free: a case that does not ask for kernel audit keeps it
	# off, so that it never holds the stream unlocked beside the cases that do.
	grep -Eq '^[[:space:]]*kernel_audit[[:space:]]*=' "$T_CONF" ||
		printf '# harness default (canisterd'"'"'s is auto)\nkernel_audit = off\n' >>"$T_CONF"
	"$CANISTERD" -f -c "$T_CONF" "$@" >>"$T_LOG" 2>&1 &
	T_DAEMON_PID=$!
	T_DAEMON_STARTED=$T_DAEMON_PID:$(started_at "$T_DAEMON_PID")
	wait_until "$T_DAEMON_WAIT" "canisterd answering on $T_SOCK" daemon_answers
}

# stop_daemon_status: SIGTERM and wait; returns canisterd's exit status (0 when none runs).
# For an EXIT trap, which must go on cleaning up after a stop that failed.
stop_daemon_status()
{
	[ -n "$T_DAEMON_PID" ] || return 0
	kill -TERM "$T_DAEMON_PID" 2>/dev/null
	wait "$T_DAEMON_PID"
	sds_status=$?
	T_DAEMON_PID=
	return "$sds_status"
}

# stop_daemon: SIGTERM and wait; fails the case if the daemon does not exit cleanly.
stop_daemon()
{
	stop_daemon_status || fail "canisterd exited with status $? on SIGTERM"
}

# stop_daemon_within SECONDS: SIGTERM, and canisterd must be gone (exited, or a zombie)
# within SECONDS, with status 0; SIGKILLed and failed otherwise.  For cases whose point
# is that the stop is bounded whatever canisterd is waiting on.
daemon_gone()
{
	! kill -0 "$T_DAEMON_PID" 2>/dev/null ||
		[ "$(awk '{ print $3 }' "/proc/$T_DAEMON_PID/stat" 2>/dev/null)" = Z ]
}
stop_daemon_within()
{
	kill -TERM "$T_DAEMON_PID"
	# Not poll_until: it takes canisterd's exit for a death while it waits.
	sdw_deadline=$(($(date +%s) + $1))
	until daemon_gone; do
		if [ "$(date +%s)" -ge "$sdw_deadline" ]; then
			kill -KILL "$T_DAEMON_PID"
			wait "$T_DAEMON_PID" 2>/dev/null
			T_DAEMON_PID=
			fail "canisterd did not exit within $1 s of SIGTERM"
		fi
		sleep 0.1
	done
	wait "$T_DAEMON_PID"
	sdw_status=$?
	T_DAEMON_PID=
	expect_eq "$sdw_status" 0 "canisterd's exit status on SIGTERM"
}

# held_map_id PID: the id of a BPF map PID holds a descriptor of (of several, the last in its
# fdinfo's order), as its fdinfo says; nothing when it holds none.
held_map_id()
{
	hm_id=
	for hm_info in /proc/"$1"/fdinfo/*; do
		hm_this=$(sed -n 's/^map_id:[[:space:]]*//p' "$hm_info")
		[ -z "$hm_this" ] || hm_id=$hm_this
	done
	echo "$hm_id"
}

# wait_for_file PATH [SECONDS]: waits until PATH exists and is not empty.
wait_for_file()
{
	poll_until "${2:-$T_WAIT}" test -s "$1" || fail "$1 did not appear within ${2:-$T_WAIT} s"
}

# wait_for_line FILE PATTERN WHAT [SECONDS]: waits until FILE has a line
# matching PATTERN (grep -E); fails naming WHAT, with FILE's last lines.
wait_for_line()
{
	poll_until "${4:-$T_WAIT}" grep -sEq -- "$2" "$1" && return 0
	echo "--- last lines of $1 ---" >&2
	tail -n 5 "$1" >&2 2>/dev/null
	fail "$3: no line matching '$2' in $1 within ${4:-$T_WAIT} s"
}

# expect_record PATTERN WHAT [SECONDS]: waits until canister's audit log has a
# line matching PATTERN (grep -E); records of exits arrive asynchronously.
expect_record()
{
	poll_until "${3:-$T_WAIT}" grep -sEq -- "$1" "$T_AUDIT" && return 0
	echo "--- audit log ($T_AUDIT) ---" >&2
	tail -n 20 "$T_AUDIT" >&2 2>/dev/null
	fail "$2: no record matching '$1' within ${3:-$T_WAIT} s"
}

# tamper_as ID WHAT EXPECTED TAMPER-ARGS...: tests/tools/tamper run as the
# root of container ID prints EXPECTED ("ok", or "refused: ..."), or the case
# fails naming WHAT.
tamper_as()
{
	ta_id=$1 ta_what=$2 ta_expected=$3
	shift 3
	ta_got=$(cn run --id "$ta_id" -- tamper "$@" 2>&1)
	expect_eq "$ta_got" "$ta_expected" "$ta_what"
}

# no_record PATTERN WHAT: the audit log has no line matching PATTERN.
no_record()
{
	! grep -Eq -- "$1" "$T_AUDIT" 2>/dev/null || fail "$2: unexpected record: $(grep -E -- "$1" "$T_AUDIT")"
}

# started PID...: processes the case started (containers, holders) that the
# case's end kills, whatever way it ends; kill_started kills them earlier.
T_STARTED=
started() { T_STARTED="$T_STARTED $*"; }

# busy_cores: a busy loop a core, for as long as the case runs (stopped with the case's processes),
# so that canisterd reads what a case's short-lived processes did only after they ended.
busy_cores()
{
	for _ in $(seq "$(nproc)"); do
		sh -c 'while :; do :; done' &
		started $!
	done
}
kill_started()
{
	# shellcheck disable=SC2086 # one pid a word
	[ -z "$T_STARTED" ] || kill $T_STARTED 2>/dev/null
	T_STARTED=
}

# attempt_in CONTID EXPECTED WHAT CMD...: CMD, run as root in container CONTID, must print
# EXPECTED; a miss is added to $T_WRONG (one line each), so that an attack case makes every
# attempt and one run names each hole (then: [ -z "$T_WRONG" ] || fail "...:$T_WRONG").
T_WRONG=
attempt_in()
{
	ai_contid=$1 ai_expected=$2 ai_what=$3
	shift 3
	ai_got=$(cn run --id "$ai_contid" -- "$@")
	[ "$ai_got" = "$ai_expected" ] || T_WRONG="$T_WRONG
	$ai_what: expected '$ai_expected', got '$ai_got'"
}

# scan_why PID: why the trace-mode scanner's last result names PID ("" when it does not).
scan_why()
{
	cn status --json | jq -r --argjson pid "$1" '.privileged_scan.processes[] | select(.pid == $pid) | .why'
}
scan_named() { [ -n "$(scan_why "$1")" ]; }

# tamper_records PID: canister's op=tamper records of PID, oldest first, one reason (hex) a line.
tamper_records()
{
	sed -n "s/.* op=tamper opid=$1 contid=[0-9]* old-contid=-1 reason=\([0-9A-F]*\) res=1$/\1/p" "$T_AUDIT"
}
# tamper_record PID: the latest, decoded (a process is recorded again when its reasons change).
tamper_record()
{
	tr_hex=$(tamper_records "$1" | tail -n 1)
	[ -n "$tr_hex" ] && printf '%s' "$tr_hex" | xxd -r -p
}

t_cleanup()
{
	kill_started
	if [ -n "$T_DAEMON_PID" ]; then
		kill -TERM "$T_DAEMON_PID" 2>/dev/null
		wait "$T_DAEMON_PID" 2>/dev/null
	fi
	"$CANISTERD" --unload -c "$T_CONF" >/dev/null 2>&1
	# A case may leave its config unreadable (16-unit tests a refused reload):
	# the pins go all the same, by a config that names only them.
	if [ -e "$T_PIN" ]; then
		printf 'pin_path = %s\n' "$T_PIN" >"$T_TMP/unload.conf"
		"$CANISTERD" --unload -c "$T_TMP/unload.conf" >/dev/null 2>&1
	fi
	if [ -n "${T_KEEP:-}" ] && [ -n "${T_FAILED:-}" ]; then
		echo "$T_NAME: T_KEEP is set: the case's files stay in $T_TMP" >&2
	else
		rm -rf "$T_TMP"
	fi
}
trap t_cleanup EXIT
# A case ended from outside (the runner's time limit) says what it was waiting for.
# A canisterd that is still there then shows where each of its threads is.
t_signalled()
{
	T_FAILED=1
	echo "$T_NAME: ended by a signal${T_WAITING:+ while waiting for: $T_WAITING}" >&2
	if [ -n "$T_DAEMON_PID" ] && [ -d "/proc/$T_DAEMON_PID/task" ]; then
		for ts_task in /proc/"$T_DAEMON_PID"/task/*; do
			echo "--- canisterd thread ${ts_task##*/} ($(cat "$ts_task/comm" 2>/dev/null)," \
				"state $(awk '{ print $3 }' "$ts_task/stat" 2>/dev/null)) ---" >&2
			cat "$ts_task/stack" >&2 2>/dev/null
		done
		echo "--- daemon log ($T_LOG) ---" >&2
		tail -n 30 "$T_LOG" >&2
	fi
	exit 130
}
trap t_signalled INT TERM

# kernel_audit_free: takes the kernel audit lock for the rest of the case
# (waiting, and saying for whom, while another case or a benchmark holds it),
# then fails unless the kernel audit stream is free for canisterd (no living
# audit daemon holds it); sets T_AUDIT_WAS_ENABLED, which the case checks is
# restored at the end.  Every case that sets kernel_audit = on calls it first.
kernel_audit_free()
{
	for kf_tool in flock setsid tail; do
		command -v "$kf_tool" >/dev/null || fail "$kf_tool is missing; scripts/install-deps installs it"
	done
	. "$T_LIB/kaudit-lock.sh"
	kaudit_lock_take "$T_NAME" || fail "cannot take $KAUDIT_LOCK"
	T_KAUDIT_LOCKED=1
	command -v auditctl >/dev/null || fail "auditctl (Debian auditd) is missing; scripts/install-deps installs it"
	_status=$(auditctl -s) || fail "auditctl -s: kernel audit unavailable"
	_holder=$(printf '%s\n' "$_status" | awk '$1 == "pid" { print $2 }')
	if [ "${_holder:-0}" != 0 ] && kill -0 "$_holder" 2>/dev/null; then
		fail "audit daemon pid $_holder already owns the kernel audit stream; this case needs it free"
	fi
	T_AUDIT_WAS_ENABLED=$(printf '%s\n' "$_status" | awk '$1 == "enabled" { print $2 }')
}

# kernel_audit_restored: after stop_daemon, the kernel's audit pid is 0 again and its enabled
# flag what kernel_audit_free found.
kernel_audit_restored()
{
	expect_eq "$(auditctl -s | awk '$1 == "pid" { print $2 }')" 0 "audit pid released"
	expect_eq "$(auditctl -s | awk '$1 == "enabled" { print $2 }')" "$T_AUDIT_WAS_ENABLED" "enabled flag restored"
}
