# SPDX-License-Identifier: GPL-2.0-only
# canister: the host mount exemption cases' helpers (sourced after harness.sh and integrity.sh).
#
# ns_worker NAME FORKS UNSHARE-OPTIONS...: a shell in namespaces of its own (unshare(1) with
# the options; FORKS is "fork" when they include -f, which makes the shell unshare's child;
# with "proc" as well, its /proc is a procfs of its own pid namespace, the copy of canisterd's
# unmounted first, as runc's pivot_root leaves none: a copy beneath is a hole),
# which runs, for each word written to its FIFO, the step file $T_TMP/NAME/WORD, output into
# WORD.out, then writes WORD.done.  Once it wrote NAME/ready it only waits on the FIFO, with a
# builtin (no fork), so that its registration by the case sees no fork.  Its standard descriptors are
# /dev/null: a descriptor of a file on canisterd's mounts is itself a hole in the exemption.
# NW_WRAP, if set, is a command (and words) that execs unshare with the rest of its arguments.
# Sets NW_PID, the shell's pid as canisterd sees it.  Killed by ns_cleanup (the case's trap).
ns_worker()
{
	nw_dir=$T_TMP/$1
	nw_fork=$2
	shift 2
	mkdir -p "$nw_dir"
	mkfifo "$nw_dir/fifo"
	cat >"$nw_dir/worker.sh" <<WORKER
: >'$nw_dir/ready'
while read -r step <'$nw_dir/fifo'; do
	[ "\$step" = quit ] && exit 0
	. '$nw_dir/'"\$step" >'$nw_dir/'"\$step.out" 2>&1
	echo \$? >'$nw_dir/'"\$step.done"
done
WORKER
	# shellcheck disable=SC2086 # NW_WRAP: a command and its words, run before unshare
	case $nw_fork in
	*proc*)
		${NW_WRAP:-} unshare "$@" sh -c 'umount -l /proc && mount -t proc proc /proc && exec sh "$0"' \
			"$nw_dir/worker.sh" </dev/null >/dev/null 2>&1 &
		;;
	*)
		${NW_WRAP:-} unshare "$@" sh "$nw_dir/worker.sh" </dev/null >/dev/null 2>&1 &
		;;
	esac
	nw_unshare=$!
	started "$nw_unshare"
	NW_PID=$nw_unshare
	wait_until "the worker shell reading its FIFO" test -e "$nw_dir/ready"
	# Read once it is ready: a wrapper may have had children of its own before its exec.
	[ "$nw_fork" = nofork ] ||
		NW_PID=$(tr -d ' ' <"/proc/$nw_unshare/task/$nw_unshare/children")
	NW_PIDS="${NW_PIDS:-} $NW_PID"
}

# ns_cleanup: the first step of a case's EXIT trap (before integrity_cleanup, which it hands the
# case's exit status): SIGKILL to every worker.  The harness's SIGTERM does not do: a worker
# with -p is its pid namespace's init, which ignores signals it has no handler for, and unshare
# ignores SIGTERM while it waits for its child.
ns_cleanup()
{
	nc_status=$?
	# shellcheck disable=SC2086 # one pid a word
	[ -z "${NW_PIDS:-}" ] || kill -KILL $NW_PIDS 2>/dev/null
	return "$nc_status"
}

# ns_step NAME WORD COMMANDS: the worker NAME runs COMMANDS (sh) and the case waits for it;
# prints their output.
ns_step()
{
	printf '%s\n' "$3" >"$T_TMP/$1/$2"
	echo "$2" >"$T_TMP/$1/fifo"
	wait_for_file "$T_TMP/$1/$2.done"
	cat "$T_TMP/$1/$2.out"
}

# host_loop N FILE: a host process runs FILE N times.
host_loop()
{
	hl_i=0
	while [ "$hl_i" -lt "$1" ]; do
		"$2" || fail "host exec of $2 failed"
		hl_i=$((hl_i + 1))
	done
}

# host_events N FILE: how many of the gate's host events (status `host`) a loop of N host execs
# of FILE raised.  Other processes on the machine in other mount namespaces can add a few.
host_events()
{
	he_before=$(integrity_counter host)
	host_loop "$1" "$2"
	echo $(($(integrity_counter host) - he_before))
}

# coverage: the status line "coverage: ...".
coverage() { cn status | sed -n 's/^  coverage: //p'; }

# entries CONTID FILE: how many entries of the container's list name FILE.
entries() { awk -v f="$2" '$5 == f' "$LISTS/$1/ascii_runtime_measurements" 2>/dev/null | wc -l; }
