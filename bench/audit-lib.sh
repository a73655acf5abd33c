# SPDX-License-Identifier: GPL-2.0-only
# canister: what the kernel-audit benchmarks (bench/audit-*) share: the kernel audit lock, the
# kernel's audit state saved and put back, canisterd and a private stock auditd started and stopped.
#
# Sourced by bash.  The kernel audit stream is one global resource: everything
# runs under /tmp/canister-kaudit.lock (taken when this is sourced, unless a
# process the bench runs under holds it already; a bench that waits for it
# says who holds it), and every exit path puts back what was found:
# no audit daemon, no rule of ours, the enabled flag and the backlog limit as
# they were.  A bench refuses to start when the kernel audit stream is not
# free (a daemon registered, or rules loaded) rather than measure beside it.
#
# A bench sets AB_NAME before sourcing this, then calls ab_setup; background
# jobs it starts with setsid go into AB_JOBS, which clean-up ends.
set -u
AB_SELF=$(readlink -f "$0")
cd "$(dirname "$AB_SELF")/.." || exit 2

ab_die() { echo "$AB_NAME: $*" >&2; exit 2; }

[ "$(id -u)" -eq 0 ] || ab_die "needs root (it loads BPF programs and owns the kernel audit stream)"
for tool in auditctl auditd ausearch gcc jq flock setsid unshare; do
	command -v "$tool" >/dev/null || ab_die "$tool is missing (Debian: auditd, gcc, jq, util-linux)"
done

CANISTER_BUILD=${CANISTER_BUILD:-build}
case $CANISTER_BUILD in /*) ;; *) CANISTER_BUILD=$PWD/$CANISTER_BUILD ;; esac
AB_CANISTERD=$CANISTER_BUILD/canisterd
AB_CANISTER=$CANISTER_BUILD/canister
[ -x "$AB_CANISTERD" ] && [ -x "$AB_CANISTER" ] ||
	ab_die "no $AB_CANISTERD or $AB_CANISTER (build them, or set CANISTER_BUILD)"

# Both daemons write their log alike: never rotated (a run writes more than
# a rotation would keep) and pushed to the disk as AUDIT_BENCH_FLUSH says:
# none (the page cache, the default here) or incremental_async (auditd's and
# canisterd's default: a sync every 50 records, from a thread of its own).
AB_FLUSH=${AUDIT_BENCH_FLUSH:-none}
case $AB_FLUSH in none | incremental_async) ;; *) ab_die "AUDIT_BENCH_FLUSH: none or incremental_async" ;; esac
# A canisterd without these settings neither rotates nor syncs.
if grep -qa incremental_async "$AB_CANISTERD"; then
	AB_CANISTERD_LOG_KEYS=$(printf 'max_log_file = 0\nflush = %s\nfreq = 50' "$AB_FLUSH")
else
	[ "$AB_FLUSH" = none ] || ab_die "$AB_CANISTERD has no flush setting; AUDIT_BENCH_FLUSH=none only"
	AB_CANISTERD_LOG_KEYS=
fi

AB_LOCK=/tmp/canister-kaudit.lock
# Every rule a bench loads has a key starting with this, so that clean-up can
# find them all in `auditctl -l`, whoever loaded them (auditctl, or a
# canisterd that was killed before it could delete its own).
AB_KEY_PREFIX=canister-bench-
AB_TMP=
AB_PIN=/sys/fs/bpf/canister-bench-audit-$$
AB_DAEMON=      # pid of the running canisterd or auditd
AB_DAEMON_KIND= # canisterd or auditd
AB_START_ERROR= # why canisterd did not start (ab_start_canisterd ... try)
AB_JOBS=()      # background jobs to end on exit, each started with setsid
AB_SAVED=no     # the kernel's audit state was recorded
AB_STARTED=$(date +%s)

# ab_status FIELD: one field of `auditctl -s` (enabled, pid, lost, backlog_limit...).
ab_status()
{
	auditctl -s | awk -v k="$1" '$1 == k { print $2 }'
}

# ab_our_rules: the rules loaded now that carry one of our keys, as `auditctl -l` prints them.
ab_our_rules()
{
	auditctl -l | grep -F -- "key=$AB_KEY_PREFIX" || true
}

# ab_delete_our_rules: deletes every rule with one of our keys (each as `auditctl -l` shows it).
ab_delete_our_rules()
{
	local rules
	rules=$(ab_our_rules)
	[ -n "$rules" ] || return 0
	printf '%s\n' "$rules" | sed 's/^-a /-d /' >"$AB_TMP/delete.rules"
	chmod 600 "$AB_TMP/delete.rules"
	auditctl -R "$AB_TMP/delete.rules" >/dev/null 2>&1
	[ -z "$(ab_our_rules)" ] || echo "$AB_NAME: could not delete rules: $(ab_our_rules)" >&2
}

# ab_take_lock: holds the kernel audit lock until this bench exits, unless a
# process it runs under holds it already (`flock /tmp/canister-kaudit.lock
# bench/audit-...`).  The lock is held by a helper in a session of its own
# (flock, then tail --pid waiting for this shell), so that nothing this bench
# starts inherits it, a Ctrl-C does not release it before clean-up is done,
# and it is released within a second of this shell's end, however it ends.
# tail writes to /dev/null, not to the pipe: tail -f ends as soon as the
# reader of its output is gone, which would release the lock at once.
ab_take_lock()
{
	local holders holder p dev id lock_pipe state
	# The holders, from /proc/locks (lslocks cannot name the file for a
	# holder in another mount namespace): lines "N: FLOCK ADVISORY WRITE PID
	# MAJ:MIN:INODE ...", a waiter's with "->" after "N:".
	touch "$AB_LOCK" || ab_die "cannot create $AB_LOCK"
	dev=$(stat -c %D "$AB_LOCK") || ab_die "cannot stat $AB_LOCK"
	id=$(printf '%02x:%02x:%s' $((0x$dev >> 8)) $((0x$dev & 0xff)) "$(stat -c %i "$AB_LOCK")")
	holders=$(awk -v id="$id" '$2 != "->" && $6 == id { print $5 }' /proc/locks)
	for holder in $holders; do
		p=$$
		while [ "${p:-0}" -gt 1 ]; do
			[ "$p" != "$holder" ] || return 0
			p=$(awk '{ print $4 }' "/proc/$p/stat" 2>/dev/null)
		done
	done
	# The pid in /proc/locks is the one that took the lock; any process that
	# inherited its descriptor holds it as long, so name those too.
	[ -z "$holders" ] || echo "$AB_NAME: waiting for $AB_LOCK, taken by pid $holders, open in:" \
		"$(for fd in /proc/[0-9]*/fd/*; do
			[ "$(readlink "$fd" 2>/dev/null)" = "$AB_LOCK" ] || continue
			p=${fd#/proc/}; p=${p%%/*}
			printf '[%s: %s] ' "$p" "$(tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null | cut -c1-80)"
		done)" >&2
	exec {lock_pipe}< <(exec setsid flock -o -w "${AUDIT_BENCH_LOCK_WAIT:-3600}" "$AB_LOCK" \
		sh -c 'echo locked && exec tail --pid="$1" -f /dev/null >/dev/null' sh $$ 2>/dev/null)
	read -r -u "$lock_pipe" state
	exec {lock_pipe}<&-
	[ "$state" = locked ] || ab_die "$AB_LOCK not free within ${AUDIT_BENCH_LOCK_WAIT:-3600} s"
}

# ab_end_job PID: ends a job started with setsid (PID leads its process
# group: everything it started goes too), SIGKILL after 5 s.
ab_end_job()
{
	kill -TERM -- "-$1" 2>/dev/null || kill -TERM "$1" 2>/dev/null || return 0
	for _ in $(seq 50); do
		kill -0 "$1" 2>/dev/null || break
		sleep 0.1
	done
	kill -KILL -- "-$1" 2>/dev/null
	wait "$1" 2>/dev/null
}

ab_cleanup()
{
	local j now_enabled problems=
	trap - EXIT INT TERM
	for j in "${AB_JOBS[@]}"; do ab_end_job "$j"; done
	[ -z "$AB_DAEMON" ] || ab_stop_daemon quiet
	if [ "$AB_SAVED" = yes ]; then
		ab_delete_our_rules
		[ "$(ab_status backlog_limit)" = "$AB_SAVED_BACKLOG" ] ||
			auditctl -b "$AB_SAVED_BACKLOG" >/dev/null || problems="$problems backlog_limit"
		now_enabled=$(ab_status enabled)
		[ "$now_enabled" = "$AB_SAVED_ENABLED" ] ||
			auditctl -e "$AB_SAVED_ENABLED" >/dev/null || problems="$problems enabled"
		[ "$(ab_status pid)" = 0 ] || problems="$problems audit-pid=$(ab_status pid)"
		[ -z "$(ab_our_rules)" ] || problems="$problems rules"
		[ -z "$problems" ] || echo "$AB_NAME: ERROR: kernel audit not restored:$problems" >&2
	fi
	"$AB_CANISTERD" --unload -c "$AB_TMP/c.conf" >/dev/null 2>&1
	if [ -n "${AUDIT_BENCH_KEEP:-}" ]; then
		echo "$AB_NAME: kept $AB_TMP" >&2
	else
		rm -rf "$AB_TMP"
	fi
	echo "$AB_NAME: took $(($(date +%s) - AB_STARTED)) s" >&2
}

# ab_setup: the temporary directory, clean-up on every exit, the kernel's audit state checked and recorded.
ab_setup()
{
	local holder
	AB_TMP=$(mktemp -d "/tmp/canister-$AB_NAME.XXXXXX") || ab_die "mktemp failed"
	trap ab_cleanup EXIT
	trap 'exit 130' INT TERM
	auditctl -s >/dev/null 2>&1 || ab_die "auditctl -s failed: kernel audit unavailable"
	holder=$(ab_status pid)
	if [ "${holder:-0}" != 0 ] && kill -0 "$holder" 2>/dev/null; then
		ab_die "audit daemon pid $holder ($(tr '\0' ' ' <"/proc/$holder/cmdline")) owns the kernel audit stream; this bench needs it free"
	fi
	# Rules with our keys are a killed bench's (we hold the lock): deleted.
	if [ -n "$(ab_our_rules)" ]; then
		echo "$AB_NAME: deleting $(ab_our_rules | wc -l) rules a bench left behind" >&2
		ab_delete_our_rules
	fi
	[ "$(auditctl -l)" = "No rules" ] ||
		ab_die "kernel audit rules are loaded; this bench needs none (they would be measured too): $(auditctl -l | head -5)"
	AB_SAVED_ENABLED=$(ab_status enabled)
	AB_SAVED_BACKLOG=$(ab_status backlog_limit)
	[ "$AB_SAVED_ENABLED" != 2 ] || ab_die "kernel audit is locked (enabled 2); rules cannot be changed"
	AB_SAVED=yes
	# A deeper queue lets the storm run ahead of the daemon instead of
	# sleeping in the kernel at every 64 records; put back at the end.
	auditctl -b "${AUDIT_BENCH_BACKLOG:-8192}" >/dev/null || ab_die "auditctl -b failed"
	mkdir -p "$AB_TMP/auditd/plugins" "$AB_TMP/run" || ab_die "mkdir failed"
}

# ab_cn ARGS...: the CLI, talking to this bench's canisterd.
ab_cn() { "$AB_CANISTER" --socket "$AB_TMP/control.sock" "$@"; }

# ab_start_canisterd RULES LOG [try]: canisterd as the kernel's audit daemon
# with RULES, writing LOG.  With try, a canisterd that exits during start-up
# is not fatal: returns 1 with its last words in AB_START_ERROR.
ab_start_canisterd()
{
	cat >"$AB_TMP/c.conf" <<-CONF
		pin_path = $AB_PIN
		control_socket = $AB_TMP/control.sock
		audit_log = $AB_TMP/canister-audit.log
		log_level = ${AUDIT_BENCH_LOG_LEVEL:-warning}
		kernel_audit = on
		host_log = $2
		audit_rules = $1
		$AB_CANISTERD_LOG_KEYS
	CONF
	chmod 600 "$AB_TMP/c.conf" "$1"
	"$AB_CANISTERD" -f -c "$AB_TMP/c.conf" >>"$AB_TMP/canisterd.err" 2>&1 &
	AB_DAEMON=$! AB_DAEMON_KIND=canisterd
	for _ in $(seq 600); do
		if ! kill -0 "$AB_DAEMON" 2>/dev/null; then
			wait "$AB_DAEMON"
			AB_DAEMON=
			AB_START_ERROR=$(tail -n 1 "$AB_TMP/canisterd.err")
			[ "${3:-}" != try ] || return 1
			tail -n 5 "$AB_TMP/canisterd.err" >&2
			ab_die "canisterd exited during start-up"
		fi
		[ "$(ab_cn status --json 2>/dev/null | jq -r .kernel_audit.audit_daemon)" = true ] && return 0
		sleep 0.1
	done
	tail -n 5 "$AB_TMP/canisterd.err" >&2
	ab_die "canisterd did not become the audit daemon within 60 s"
}

# ab_start_auditd RULES LOG: Debian's auditd with its own configuration, then RULES loaded by auditctl.
ab_start_auditd()
{
	# As Debian's defaults, except: the log is ours; RAW records, as
	# canisterd writes them (Debian's ENRICHED adds interpreted fields);
	# flush as canisterd's (auditd's log is line-buffered: one write per
	# record, as canisterd's); no priority boost, since canisterd has none;
	# no plugins, no rotation, no disk-space actions.
	cat >"$AB_TMP/auditd/auditd.conf" <<-CONF
		local_events = yes
		write_logs = yes
		log_file = $2
		log_format = RAW
		flush = $(echo "$AB_FLUSH" | tr a-z A-Z)
		freq = 50
		max_log_file = 0
		num_logs = 0
		max_log_file_action = IGNORE
		priority_boost = 0
		name_format = NONE
		space_left = 2
		space_left_action = IGNORE
		admin_space_left = 1
		admin_space_left_action = IGNORE
		disk_full_action = SUSPEND
		disk_error_action = SUSPEND
		use_libwrap = no
		q_depth = 2000
		overflow_action = SYSLOG
		plugin_dir = $AB_TMP/auditd/plugins
		end_of_event_timeout = 2
	CONF
	chmod 600 "$AB_TMP/auditd/auditd.conf" "$1"
	: >"$AB_TMP/auditd.err"
	# auditd writes /var/run/auditd.pid whatever its configuration says: it
	# gets a /run of its own, in a mount namespace of its own.
	unshare -m --propagation private -- sh -c 'mount --bind "$1" /run && exec auditd -n -c "$2"' \
		sh "$AB_TMP/run" "$AB_TMP/auditd" 2>>"$AB_TMP/auditd.err" &
	AB_DAEMON=$! AB_DAEMON_KIND=auditd
	for _ in $(seq 600); do
		if ! kill -0 "$AB_DAEMON" 2>/dev/null; then
			AB_DAEMON=
			tail -n 5 "$AB_TMP/auditd.err" >&2
			ab_die "auditd exited during start-up"
		fi
		[ "$(ab_status pid)" = "$AB_DAEMON" ] && [ -s "$2" ] && break
		sleep 0.1
	done
	[ "$(ab_status pid)" = "$AB_DAEMON" ] || { tail -n 5 "$AB_TMP/auditd.err" >&2; ab_die "auditd did not become the audit daemon within 60 s"; }
	auditctl -R "$1" >"$AB_TMP/auditctl.out" 2>&1 || { cat "$AB_TMP/auditctl.out" >&2; ab_die "auditctl -R $1 failed"; }
}

# ab_start_null RULES COUNTFILE KEY: bench/auditnull.c as the audit daemon (it
# discards the stream, counting the storm's events in COUNTFILE), then RULES
# loaded by auditctl: what the kernel delivers, with no log to write.
ab_start_null()
{
	: >"$AB_TMP/null.err"
	"$AB_TMP/auditnull" "$3" "$2" 2>>"$AB_TMP/null.err" &
	AB_DAEMON=$! AB_DAEMON_KIND=null
	for _ in $(seq 600); do
		kill -0 "$AB_DAEMON" 2>/dev/null || { AB_DAEMON=; cat "$AB_TMP/null.err" >&2; ab_die "auditnull exited during start-up"; }
		[ "$(ab_status pid)" = "$AB_DAEMON" ] && break
		sleep 0.1
	done
	[ "$(ab_status pid)" = "$AB_DAEMON" ] || ab_die "auditnull did not become the audit daemon within 60 s"
	auditctl -R "$1" >"$AB_TMP/auditctl.out" 2>&1 || { cat "$AB_TMP/auditctl.out" >&2; ab_die "auditctl -R $1 failed"; }
}

# ab_stop_daemon [quiet]: stops the daemon (auditd, auditnull: our rules deleted first)
# and checks that the kernel's audit pid is free again.
ab_stop_daemon()
{
	local status
	[ -n "$AB_DAEMON" ] || return 0
	[ "$AB_DAEMON_KIND" = canisterd ] || ab_delete_our_rules
	kill -TERM "$AB_DAEMON" 2>/dev/null
	for _ in $(seq 300); do
		kill -0 "$AB_DAEMON" 2>/dev/null || break
		sleep 0.1
	done
	# A daemon that does not stop is a finding too, but the run must end.
	if kill -0 "$AB_DAEMON" 2>/dev/null; then
		kill -KILL "$AB_DAEMON"
		echo "$AB_NAME: $AB_DAEMON_KIND did not stop within 30 s of SIGTERM: killed" >&2
	fi
	wait "$AB_DAEMON"
	status=$?
	AB_DAEMON=
	[ "$AB_DAEMON_KIND" != canisterd ] || "$AB_CANISTERD" --unload -c "$AB_TMP/c.conf" >/dev/null 2>&1
	[ "${1:-}" = quiet ] && return 0
	[ "$status" -eq 0 ] || ab_die "$AB_DAEMON_KIND exited with status $status on SIGTERM"
	[ "$(ab_status pid)" = 0 ] || ab_die "$AB_DAEMON_KIND stopped, but the kernel's audit pid is $(ab_status pid)"
	[ -z "$(ab_our_rules)" ] || ab_die "$AB_DAEMON_KIND stopped, but rules of ours are left: $(ab_our_rules | head -3)"
}

# ab_kaudit_counter NAME: a kernel_audit counter of canisterd's status (-1 when it does not answer).
ab_kaudit_counter()
{
	local value
	value=$(ab_cn status --json 2>/dev/null | jq -r ".kernel_audit.$1" 2>/dev/null)
	case $value in '' | *[!0-9]*) echo -1 ;; *) echo "$value" ;; esac
}

# ab_canisterd_losses: what canisterd counts as not written: netlink overruns,
# write failures, records lost to a full disk (counters this canisterd lacks count 0).
ab_canisterd_losses()
{
	local name value sum=0
	for name in netlink_overruns write_failures disk_full_lost; do
		value=$(ab_kaudit_counter "$name")
		[ "$value" = -1 ] || sum=$((sum + value))
	done
	echo "$sum"
}

# ab_check_daemon WHAT: dies unless the daemon still runs (and canisterd still answers).
ab_check_daemon()
{
	kill -0 "$AB_DAEMON" 2>/dev/null || { tail -n 5 "$AB_TMP/$AB_DAEMON_KIND.err" >&2; ab_die "$1: $AB_DAEMON_KIND died"; }
	[ "$AB_DAEMON_KIND" != canisterd ] || [ "$(ab_kaudit_counter events)" != -1 ] ||
		ab_die "$1: canisterd does not answer canister status"
}

ab_median() { sort -n | awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)]; else print "-" }'; }
ab_ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "-" || b == "-" || b == 0) print "-"; else printf "%.3f", a / b }'; }

# ab_build_storm: bench/auditstorm.c and bench/auditnull.c into the temporary directory.
ab_build_storm()
{
	gcc -O2 -Wall -Werror -o "$AB_TMP/auditstorm" bench/auditstorm.c || ab_die "cannot build bench/auditstorm.c"
	gcc -O2 -Wall -Werror -o "$AB_TMP/auditnull" bench/auditnull.c -laudit || ab_die "cannot build bench/auditnull.c"
}

ab_take_lock
