# SPDX-License-Identifier: GPL-2.0-only
# canister: the kernel audit lock, which host cases and benchmarks that own the kernel audit stream hold.
#
# The kernel has one audit stream and one audit daemon.  Everything that takes
# it (host cases with kernel_audit = on, bench/audit-*) runs under an flock on
# $KAUDIT_LOCK, the same file bench/audit-lib.sh takes, so that two of them
# never run at the same time, also from different worktrees or sessions.
# Sourced by tests/lib/harness.sh (kernel_audit_free) and tests/host/run;
# POSIX sh.  Names are kl_-prefixed: sh has no locals.

: "${KAUDIT_LOCK:=/tmp/canister-kaudit.lock}"
# How long a case or the runner waits for the lock before giving up.
: "${KAUDIT_LOCK_WAIT:=3600}"

# kaudit_lock_id: the lock file as /proc/locks names it (MAJ:MIN:INODE, hex device numbers).
kaudit_lock_id()
{
	printf '%02x:%02x:%s\n' "$(stat -c %Hd "$KAUDIT_LOCK")" "$(stat -c %Ld "$KAUDIT_LOCK")" \
		"$(stat -c %i "$KAUDIT_LOCK")"
}

# kaudit_lock_holders: the pids /proc/locks names as holding the lock (the
# process that took it; children that inherited its descriptor hold it too).
kaudit_lock_holders()
{
	kl_id=$(kaudit_lock_id) || return 1
	awk -v id="$kl_id" '$2 != "->" && $6 == id { print $5 }' /proc/locks
}

# kaudit_lock_mine: true when this shell or one of its ancestors holds the lock,
# e.g. `flock /tmp/canister-kaudit.lock tests/host/run`, or the runner for this case.
kaudit_lock_mine()
{
	for kl_holder in $(kaudit_lock_holders); do
		kl_p=$$
		while [ "${kl_p:-0}" -gt 1 ]; do
			[ "$kl_p" != "$kl_holder" ] || return 0
			kl_p=$(awk '{ print $4 }' "/proc/$kl_p/stat" 2>/dev/null)
		done
	done
	return 1
}

# kaudit_lock_who: the processes that hold the lock, "PID (COMMAND)", and for
# a holder that keeps it for another process (tail --pid=P as its child, as
# kaudit_lock_take and bench/audit-lib.sh do), that process too.
kaudit_lock_who()
{
	for kl_holder in $(kaudit_lock_holders); do
		printf '%s (%s) ' "$kl_holder" "$(kaudit_cmdline "$kl_holder")"
		for kl_child in $(cat "/proc/$kl_holder/task/"*/children 2>/dev/null); do
			kl_for=$(kaudit_cmdline "$kl_child" | sed -n 's/^tail --pid=\([0-9]*\) .*/\1/p')
			[ -z "$kl_for" ] || printf 'for %s (%s) ' "$kl_for" "$(kaudit_cmdline "$kl_for")"
		done
	done
	echo
}

# kaudit_cmdline PID: PID's command line, cut to 120 characters.
kaudit_cmdline()
{
	tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null | cut -c1-120
}

# kaudit_lock_busy WHO: says on stderr, when the lock is taken by someone else,
# that WHO waits for it and who holds it.  True when it is taken.
kaudit_lock_busy()
{
	touch "$KAUDIT_LOCK" || return 1
	flock -n "$KAUDIT_LOCK" true && return 1
	echo "$1: waiting for $KAUDIT_LOCK (up to ${KAUDIT_LOCK_WAIT} s): the kernel audit stream is" \
		"in use, and cases and benchmarks that own it run one at a time; held by $(kaudit_lock_who)" >&2
	return 0
}

# kaudit_lock_take WHO: takes the lock until this shell exits, unless this shell
# or an ancestor holds it already; waits at most KAUDIT_LOCK_WAIT seconds.
# The lock is held by a helper in a session of its own (flock, then tail
# --pid waiting for this shell) so that nothing this shell starts inherits it,
# a signal to the case's process group does not release it before the case's
# clean-up is done, and it goes within a second of this shell's end.  tail's
# output is /dev/null, not the fifo: tail -f ends as soon as the reader of its
# output is gone, and would take the lock with it.
kaudit_lock_take()
{
	kaudit_lock_mine && return 0
	kaudit_lock_busy "$1"
	kl_fifo=$(mktemp -u "${TMPDIR:-/tmp}/canister-kaudit-lock.XXXXXX") && mkfifo -m 600 "$kl_fifo" ||
		return 1
	setsid flock -o -w "$KAUDIT_LOCK_WAIT" "$KAUDIT_LOCK" \
		sh -c 'echo locked; exec tail --pid="$1" -f /dev/null >/dev/null' sh $$ </dev/null >"$kl_fifo" 2>/dev/null &
	kl_state=
	read -r kl_state <"$kl_fifo"
	rm -f "$kl_fifo"
	[ "$kl_state" = locked ] || {
		echo "$1: $KAUDIT_LOCK not free within ${KAUDIT_LOCK_WAIT} s" >&2
		return 1
	}
	echo "$1: holding $KAUDIT_LOCK (the kernel audit stream)" >&2
	return 0
}
