# SPDX-License-Identifier: GPL-2.0-only
# canister: lsm mode: a labelled root cannot make the kernel run its code, or a helper, on its behalf.
# shellcheck source=tests/lib/harness.sh
. "${T_LIB:-$(dirname "$0")/../../lib}/harness.sh"

SYS=/proc/sys/kernel
saved_core_pattern=$(cat $SYS/core_pattern)
saved_modprobe=$(cat $SYS/modprobe 2>/dev/null)
saved_hostname=$(hostname)
BINFMT=$T_TMP/binfmt
# shellcheck disable=SC2317 # called from the EXIT trap
restore_kernel()
{
	echo "$saved_core_pattern" >$SYS/core_pattern
	[ -z "$saved_modprobe" ] || echo "$saved_modprobe" >$SYS/modprobe
	hostname "$saved_hostname"
	rm -f /sbin/request-key
	umount "$BINFMT" 2>/dev/null
	[ -z "${mounted_pts:-}" ] || umount /dev/pts
}
trap 'restore_kernel; t_cleanup' EXIT

start_daemon
refused="refused: Operation not permitted"

# A helper the kernel would start: it says it ran, and with which label.
cat >"$T_TMP/helper" <<EOF
#!/bin/sh
canister --socket $T_SOCK get \$\$ >$T_TMP/helper.ran 2>&1
EOF
chmod 755 "$T_TMP/helper"

# core_pattern: "|/path" runs /path as root for every crash, unlabelled.
tamper_as 90 "labelled root setting a core_pattern pipe" "$refused" \
	write $SYS/core_pattern "|$T_TMP/helper"
expect_eq "$(cat $SYS/core_pattern)" "$saved_core_pattern" "core_pattern after the attempt"
cn run --id 90 -- sh -c 'kill -SEGV $$' 2>/dev/null
[ ! -e "$T_TMP/helper.ran" ] || fail "the core_pattern helper ran: $(cat "$T_TMP/helper.ran")"

# Every global sysctl is the host's, those that name helpers first.
for sysctl in modprobe hotplug poweroff_cmd usermodehelper/bset sched_rt_runtime_us panic_on_oops; do
	[ -e "$SYS/$sysctl" ] || continue
	value=$(cat "$SYS/$sysctl")
	tamper_as 90 "labelled root writing kernel.$sysctl" "$refused" write "$SYS/$sysctl" "$value"
done
# Namespaced sysctls are the host's while the container shares the namespace (canister run
# shares them all) ...
tamper_as 90 "labelled root writing the host's kernel.hostname" "$refused" write $SYS/hostname canister-48
expect_eq "$(hostname)" "$saved_hostname" "host name after the attempt"
value=$(cat /proc/sys/net/ipv4/ip_forward)
tamper_as 90 "labelled root writing the host's net.ipv4.ip_forward" "$refused" \
	write /proc/sys/net/ipv4/ip_forward "$value"
tamper_as 90 "labelled root writing the host's user.max_user_namespaces" "$refused" \
	write /proc/sys/user/max_user_namespaces "$(cat /proc/sys/user/max_user_namespaces)"
# ... and the container's in namespaces of its own.
got=$(cn run --id 90 -- unshare -u -n -i sh -c 'tamper write /proc/sys/kernel/hostname inner-48
	tamper write /proc/sys/net/ipv4/ip_forward 1; tamper write /proc/sys/kernel/msgmax 4096')
expect_eq "$(echo $got)" "ok ok ok" "labelled root writing sysctls of its own UTS, network and IPC namespaces"
expect_eq "$(hostname)" "$saved_hostname" "host name after the container renamed its own"

# Module autoload runs kernel.modprobe as root: refused for a container, kept for the host.
if [ -n "$saved_modprobe" ]; then
	echo "$T_TMP/helper" >$SYS/modprobe
	cn run --id 91 -- tamper module-request >/dev/null
	[ ! -e "$T_TMP/helper.ran" ] || fail "modprobe ran for a container: $(cat "$T_TMP/helper.ran")"
	tool tamper module-request >/dev/null
	wait_for_file "$T_TMP/helper.ran"
	rm -f "$T_TMP/helper.ran"
	echo "$saved_modprobe" >$SYS/modprobe
	expect_match "$(cat "$T_LOG")" "container 91: refused pid [0-9]+ a kernel module autoload" \
		"module autoload refusal logged"
else
	echo "48-kernel-helpers: kernel.modprobe unavailable (no module support); autoload not tested" >&2
fi

# request_key with callout information runs /sbin/request-key as root.
mkdir -p /sbin
cp "$T_TMP/helper" /sbin/request-key
got=$(cn run --id 92 -- tamper request-key)
expect_match "$got" "^refused: " "labelled root asking for a key upcall"
[ ! -e "$T_TMP/helper.ran" ] || fail "request-key ran for a container: $(cat "$T_TMP/helper.ran")"
expect_match "$(cat "$T_LOG")" "container 92: refused pid [0-9]+ a request-key upcall" \
	"request-key refusal logged"
rm -f /sbin/request-key

# Kernel code: modules (by fd and by buffer) and BPF programs other than socket filters.
# The kernel's audit configuration: switching it off, deleting rules, locking it.
tamper_as 95 "labelled root sending AUDIT_SET" "$refused" audit set
tamper_as 95 "labelled root sending AUDIT_SET behind an AUDIT_GET" "$refused" audit set-packed
tamper_as 95 "labelled root sending AUDIT_GET" ok audit get
expect_eq "$(tool tamper audit set)" ok "host root sending AUDIT_SET"
expect_match "$(cat "$T_LOG")" "container 95: refused pid [0-9]+ a change of the kernel's audit configuration" \
	"audit configuration refusal logged"

tamper_as 93 "labelled root loading a module (finit_module)" "$refused" finit-module
tamper_as 93 "labelled root loading a module (init_module)" "$refused" init-module
tamper_as 93 "labelled root loading a kprobe BPF program" "$refused" bpf-kprobe
tamper_as 93 "labelled root loading a socket filter" ok bpf-socket-filter
expect_eq "$(tool tamper bpf-kprobe)" ok "host root loading a kprobe BPF program"

# reboot(2) and delete_module(2) have no hook of their own: refused at their capability check.
tamper_as 96 "labelled root switching Ctrl-Alt-Del off (reboot(2))" "$refused" reboot-cad off
expect_eq "$(tool tamper reboot-cad on)" ok "host root switching Ctrl-Alt-Del on (reboot(2))"
tamper_as 96 "labelled root unloading a module that is not loaded" "$refused" delete-module canister_none
expect_eq "$(tool tamper delete-module canister_none)" "refused: No such file or directory" \
	"host root unloading a module that is not loaded"
if grep -q '^unix_diag ' /proc/modules; then
	tamper_as 96 "labelled root unloading unix_diag (canisterd's caller check)" "$refused" \
		delete-module unix_diag
	grep -q '^unix_diag ' /proc/modules || fail "unix_diag was unloaded by a container"
fi
# A capability check of the container's own user namespace is its own business.
expect_eq "$(cn run --id 96 -- unshare -Urpf --mount-proc tamper reboot-cad off)" \
	"refused: Invalid argument" \
	"labelled root switching Ctrl-Alt-Del in a pid and user namespace of its own"
expect_match "$(cat "$T_LOG")" "container 96: refused pid [0-9]+ a reboot or kexec of the host" \
	"reboot refusal logged"
expect_match "$(cat "$T_LOG")" "container 96: refused pid [0-9]+ a kernel module load or unload" \
	"module unload refusal logged"

# What lockdown=integrity forbids: raw memory and I/O ports.
tamper_as 93 "labelled root opening /dev/mem for writing" "$refused" open-write /dev/mem
tamper_as 93 "labelled root raising its I/O privilege level (iopl)" "$refused" iopl
expect_eq "$(tool tamper iopl)" ok "host root raising its I/O privilege level"

# /proc/sysrq-trigger ('e', 'i', 'f' end canisterd past task_kill), and sysfs: uevent helper,
# module parameters, suspend.
tamper_as 94 "labelled root writing /proc/sysrq-trigger" "$refused" write /proc/sysrq-trigger h
if [ -e /sys/kernel/uevent_helper ]; then
	tamper_as 94 "labelled root setting the uevent helper" "$refused" \
		write /sys/kernel/uevent_helper "$T_TMP/helper"
	expect_eq "$(cat /sys/kernel/uevent_helper)" "" "uevent_helper after the attempt"
fi
value=$(cat /sys/module/printk/parameters/time)
tamper_as 94 "labelled root writing a module parameter" "$refused" \
	write /sys/module/printk/parameters/time "$value"
tamper_as 94 "labelled root opening /sys/power/state for writing" "$refused" open-write /sys/power/state

# binfmt_misc: an interpreter registered here runs for matching execs, the host's too.
mkdir -p "$BINFMT"
if mount -t binfmt_misc none "$BINFMT" 2>/dev/null; then
	tamper_as 94 "labelled root registering a binfmt_misc interpreter" "$refused" \
		write "$BINFMT/register" ":canister48:E::c48::$T_TMP/helper:"
	[ ! -e "$BINFMT/canister48" ] || fail "the binfmt_misc entry was registered"
else
	echo "48-kernel-helpers: binfmt_misc unavailable in this kernel; not tested" >&2
fi

# TIOCSTI types into a terminal a host shell reads.
if [ ! -e /dev/pts/ptmx ]; then
	mkdir -p /dev/pts
	mount -t devpts devpts /dev/pts || fail "cannot mount devpts for a pseudo-terminal"
	mounted_pts=1
fi
tamper_as 95 "labelled root typing into a terminal (TIOCSTI)" "$refused" tiocsti
expect_eq "$(tool tamper tiocsti)" ok "host root typing into a terminal"

expect_match "$(cat "$T_LOG")" "container 90: refused pid [0-9]+ writing a sysctl of the host" \
	"sysctl refusal logged"
expect_match "$(cat "$T_LOG")" "container 93: refused pid [0-9]+ a kernel module load" \
	"module load refusal logged"
expect_match "$(cat "$T_LOG")" "container 94: refused pid [0-9]+ writing a kernel settings file" \
	"sysfs refusal logged"
stop_daemon
