# SPDX-License-Identifier: GPL-2.0-only
# canister: what the guest /init of every VM bench shares (sourced there as /bench.sh): the mounts, the results tty, canisterd, one loop's figure checked.
#
# Results go to ttyS1 (descriptor 3) as lines "SIDE LOOP FIGURE", "info ...",
# "error ..." and "END" last; the host (bench/vm-lib.sh) refuses a run with an
# error line or without END, so a loop that fails is never read as a figure.

# shellcheck shell=sh
export PATH=/bin

# bench_fail MESSAGE: the bench cannot go on: says why, ends the results, powers off.
bench_fail()
{
	echo "error $*" >&3
	echo END >&3
	exec 3>&-
	poweroff -f
	exit 1
}

# bench_end: the last line; closing the tty waits until its output is sent,
# which poweroff -f would otherwise cut short.
bench_end()
{
	echo END >&3
	exec 3>&-
	poweroff -f
}

# bench_setup: the guest's filesystems, the results tty, the loopback, unix_diag
# (canisterd identifies its callers through it on 6.1, which has no SO_PEERPIDFD).
bench_setup()
{
	mount -t devtmpfs devtmpfs /dev
	exec 3>/dev/ttyS1
	stty -F /dev/ttyS1 raw -echo 2>/dev/null
	mount -t proc proc /proc
	mount -t sysfs sysfs /sys
	mount -t securityfs securityfs /sys/kernel/security
	mount -t bpf bpf /sys/fs/bpf
	mount -t tracefs tracefs /sys/kernel/tracing
	mount -t tmpfs tmpfs /tmp
	mount -t tmpfs tmpfs /run
	mount -t tmpfs tmpfs /m
	# shellcheck disable=SC3045 # busybox ash has it
	ulimit -l unlimited
	ip link set lo up
	[ ! -e /lib/modules/unix_diag.ko ] || insmod /lib/modules/unix_diag.ko
	echo "info kernel $(uname -r); lsm $(cat /sys/kernel/security/lsm)" >&3
}

# bench_daemon [CONFIG_LINE...]: canisterd in lsm mode on /run/c.sock, kernel audit off,
# with the lines given added to its configuration; waits until it answers (under TCG the
# verifier alone can take minutes).
bench_daemon()
{
	{
		echo "pin_path = /sys/fs/bpf/canister-bench"
		echo "control_socket = /run/c.sock"
		echo "audit_log = /run/audit.log"
		echo "access_dir = /run/access"
		echo "log_level = info"
		echo "kernel_audit = off"
		for line in "$@"; do
			echo "$line"
		done
	} >/run/c.conf
	chmod 600 /run/c.conf
	canisterd -f -c /run/c.conf 2>>/run/daemon.log &
	i=0
	until canister --socket /run/c.sock status >/dev/null 2>&1; do
		i=$((i + 1))
		[ "$i" -lt 2400 ] || bench_fail "canisterd did not start: $(tail -n 3 /run/daemon.log)"
		sleep 0.25
	done
}

# bench_result SIDE LOOP COMMAND...: runs COMMAND (a loop printing its cost per iteration) and
# reports "SIDE LOOP FIGURE"; a loop that fails or prints anything but a positive integer
# ends the bench.
bench_result()
{
	br_side=$1 br_loop=$2
	shift 2
	br_figure=$("$@" 2>/run/loop.err) ||
		bench_fail "$br_side $br_loop: '$*' failed (status $?): $(tail -n 2 /run/loop.err)"
	case $br_figure in
	'' | *[!0-9]* | 0) bench_fail "$br_side $br_loop: '$*' printed '$br_figure', not a figure" ;;
	esac
	echo "$br_side $br_loop $br_figure" >&3
}
