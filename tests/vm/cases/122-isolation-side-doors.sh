# SPDX-License-Identifier: GPL-2.0-only
# canister: lsm mode: the side doors of cross-container signals and ptrace (docs/access.md, "Isolation and grants"), tried by an attacker root in container A: an async-I/O signal (F_SETOWN on a pipe, F_SETSIG, then a write: the kernel sends it without task_kill) and pidfd_send_signal, toward container B's process and a host process, are refused (the signal never reaches them, pending in no queue) and recorded; process_vm_readv and pidfd_getfd of B's process are refused (EPERM: the access check, before any address is read); toward A's own process both go through; with host-admin granted the async-I/O signal reaches B; a host process's async-I/O signal reaches B.
# shellcheck source=tests/lib/harness.sh
. "${T_LIB:-$(dirname "$0")/../../lib}/harness.sh"

SIGUSR1=10
# SIGUSR1's bit in /proc/PID/status's ShdPnd and SigPnd.
USR1_BIT=$((1 << (SIGUSR1 - 1)))

# shellcheck disable=SC2317 # called from the EXIT trap
stop_targets()
{
	touch "$T_TMP/done"
	kill_started
}
trap 'stop_targets; t_cleanup' EXIT

# pending PID: "pending" when SIGUSR1 waits in PID's queues (the target blocks it), else "none".
# A signal the kernel sent is queued before the sender's call returns: no wait is needed.
pending()
{
	pd_mask=0
	for field in ShdPnd SigPnd; do
		pd_mask=$((pd_mask | 0x$(awk -v f="$field:" '$1 == f { print $2 }' "/proc/$1/status")))
	done
	if [ $((pd_mask & USR1_BIT)) -ne 0 ]; then echo pending; else echo none; fi
}

# target NAME [ID]: a process that blocks SIGUSR1, in container ID (or on the host), until the
# case ends; its pid in $T_TMP/NAME.pid.
target()
{
	if [ -n "${2:-}" ]; then
		cn run --id "$2" -- lsm-attack block $SIGUSR1 "$T_TMP/$1.pid" "$T_TMP/done" >/dev/null &
	else
		lsm-attack block $SIGUSR1 "$T_TMP/$1.pid" "$T_TMP/done" >/dev/null &
	fi
	started $!
	wait_for_file "$T_TMP/$1.pid"
}

start_daemon

# A lives to the end (a grant goes with its container), its attacks joining it.
target a 1220
target b 1221
B=$(cat "$T_TMP/b.pid")
target host
HOST=$(cat "$T_TMP/host.pid")
b_labelled() { cn get "$B" | grep -q '^1221'; }
wait_until 30 "B's target labelled" b_labelled

# attack ID ACTIONS...: one `canister run` in container ID (TCG makes each slow) that tries
# each ACTION (lsm-attack's words, the pid after a colon: sigio:PID, pidfd:PID, own-sigio,
# own-pidfd for a target of its own) with SIGUSR1; the attacks' lines.
attack()
{
	at_id=$1
	shift
	at_script=
	for at_action in "$@"; do
		case $at_action in
		sigio:*) at_script="$at_script; lsm-attack sigio ${at_action#sigio:} $SIGUSR1" ;;
		pidfd:*) at_script="$at_script; lsm-attack pidfd-signal ${at_action#pidfd:} $SIGUSR1" ;;
		vmread:*) at_script="$at_script; lsm-attack vm-read ${at_action#vmread:}" ;;
		getfd:*) at_script="$at_script; lsm-attack pidfd-getfd ${at_action#getfd:}" ;;
		own-*)
			at_script="$at_script; lsm-attack block $SIGUSR1 $T_TMP/own.pid $T_TMP/own.done & i=0; while [ ! -s $T_TMP/own.pid ]; do i=\$((i + 1)); [ \$i -lt 600 ] || exit 1; sleep 0.05; done
			own=\$(cat $T_TMP/own.pid); rm $T_TMP/own.pid"
			case $at_action in
			own-sigio) at_script="$at_script; lsm-attack sigio \$own $SIGUSR1" ;;
			own-pidfd) at_script="$at_script; lsm-attack pidfd-signal \$own $SIGUSR1" ;;
			esac
			at_script="$at_script; grep -q '^ShdPnd:.*[1-9a-f]' /proc/\$own/status && echo own: pending || echo own: none
			touch $T_TMP/own.done; wait; rm $T_TMP/own.done" ;;
		esac
	done
	cn run --id "$at_id" -- sh -c "${at_script#; }" 2>&1
}

# --- refused -----------------------------------------------------------------------------------
expect_eq "$(attack 1220 "sigio:$B" "sigio:$HOST" "pidfd:$B" "pidfd:$HOST" "vmread:$B" "getfd:$B")" \
	"sigio: ok
sigio: ok
pidfd-signal: pidfd_send_signal: Operation not permitted
pidfd-signal: pidfd_send_signal: Operation not permitted
vm-read: process_vm_readv: Operation not permitted
pidfd-getfd: pidfd_getfd: Operation not permitted" \
	"A's root signalling B and the host by async I/O and by pidfd (the async-I/O signal's sender sees no error), reading B's memory, taking B's descriptor"
expect_eq "$(pending "$B")" none "B after A's async-I/O signal (the kernel sends it without task_kill)"
expect_eq "$(pending "$HOST")" none "the host process after A's async-I/O signal"
expect_record "op=signal contid=1220 by=1220 pid=[0-9]+ target=\"pid:$B,uid:0,contid:1221\" right=signal cause=cross-container mode=enforce res=0" \
	"the record of a refused signal to B"
expect_record "op=signal contid=1220 by=1220 pid=[0-9]+ target=\"pid:$HOST,uid:0,host\" right=signal cause=cross-container" \
	"the record of a refused signal to the host"

# --- allowed: its own container, host-admin, the host ---------------------------------------------
expect_eq "$(attack 1220 own-sigio own-pidfd)" "sigio: ok
own: pending
pidfd-signal: ok
own: pending" "A's root signalling its own process by async I/O and by pidfd"
cn grant 1220 host-admin || fail "grant host-admin"
expect_eq "$(attack 1220 "sigio:$B")" "sigio: ok" "A's root with host-admin signalling B by async I/O"
expect_eq "$(pending "$B")" pending "B after A's async-I/O signal under host-admin"
cn revoke 1220 host-admin || fail "revoke host-admin"
target b2 1221
HOST_TO=$(cat "$T_TMP/b2.pid")
expect_eq "$(lsm-attack sigio "$HOST_TO" $SIGUSR1)" "sigio: ok" "the host's async-I/O signal to B"
expect_eq "$(pending "$HOST_TO")" pending "B after the host's async-I/O signal"
stop_daemon
exit 0
