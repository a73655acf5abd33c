# SPDX-License-Identifier: GPL-2.0-only
# canister: trace mode, canisterd killed with SIGKILL: enforce fails open (documented): a
# container in enforce runs an unhashed file once the gate's fanotify group is gone, and is
# denied it again when canisterd is back; the status says the BPF backstop is unavailable here.
. "$(dirname "$0")/../lib/harness.sh"
. "$(dirname "$0")/../lib/integrity.sh"

OWNER=4242
integrity_setup "appraise func=BPRM_CHECK fowner=$OWNER
"
trap 'kill_started; stop_daemon_status; umount "$FS"; t_cleanup' EXIT
# new NAME: a script of its own, owned by OWNER; hashed NAME: with its sha256 hash value.
new()
{
	printf '#!/bin/sh\necho %s\n' "$1" >"$FS/$1"
	chmod 755 "$FS/$1"
	chown "$OWNER" "$FS/$1"
}
new good
evmctl ima_hash -a sha256 "$FS/good" >/dev/null 2>&1 || fail "evmctl ima_hash"
new bad

start_daemon
expect_match "$(cn status)" '^mode: trace$' "mode"
expect_match "$(cn status)" '^  backstop: unavailable \(trace mode: this kernel runs no BPF LSM programs; enforce is the fanotify gate.s alone, and fails open while canisterd is gone\)$' \
	"the status's backstop line"
cn status --json | grep -q '"backstop":false' || fail "backstop in --json: $(cn status --json)"

BT=${CANISTER_TOOLS:+$CANISTER_TOOLS/}backstop-try
worker_start 1180 enforce
expect_eq "$(worker_step 1 "'$FS/good'; '$BT' exec '$FS/bad' 2>/dev/null")" "good
refused: Operation not permitted" "enforce while canisterd runs"

kill -KILL "$T_DAEMON_PID"
wait "$T_DAEMON_PID" 2>/dev/null
T_DAEMON_PID=
# Fail open: fanotify answers nothing once its group is closed, and the kernel lets the open go.
expect_eq "$(worker_step 2 "'$FS/good'; '$BT' exec '$FS/bad' 2>/dev/null")" "good
bad" "enforce after SIGKILL (trace mode fails open)"

start_daemon
expect_eq "$(worker_step 3 "'$FS/good'; '$BT' exec '$FS/bad' 2>/dev/null")" "good
refused: Operation not permitted" "enforce once canisterd is back"
exit 0
