# SPDX-License-Identifier: GPL-2.0-only
# canister: attacks on the host mount exemption through setns(2): a container's root that holds
# a pidfd of a host process, or a descriptor of canisterd's mount namespace, can enter that
# namespace and run a file through canisterd's own (exempt) mounts.  Each descriptor must
# withdraw the exemption at the registration, so that the exec after the setns is measured.
. "$(dirname "$0")/../lib/harness.sh"
. "$(dirname "$0")/../lib/integrity.sh"
. "$(dirname "$0")/../lib/exempt.sh"

command -v python3 >/dev/null || fail "python3 is missing (the case's setns and pidfd_open)"
trap 'ns_cleanup; integrity_cleanup "$FS"' EXIT
integrity_setup 'measure func=BPRM_CHECK
'
cp /bin/busybox "$FS/true" || fail "cannot copy busybox"
start_daemon
wait_for_line "$T_LOG" "host mount exemption: [1-9][0-9]* of canisterd's mounts ignored" \
	"the ignore marks on canisterd's mounts"

# The container's attack: setns(FD, CLONE_NEWNS) into canisterd's mount namespace (a pidfd
# names the process whose namespace it is), then exec the file there.
cat >"$T_TMP/enter.py" <<'PY'
import ctypes, os, sys
libc = ctypes.CDLL(None, use_errno=True)
if libc.setns(int(sys.argv[1]), 0x00020000) != 0:
    sys.exit("setns: " + os.strerror(ctypes.get_errno()))
os.execv(sys.argv[2], [sys.argv[2]])
PY
# The pidfd, inherited as descriptor 8 by unshare and the worker it starts.
cat >"$T_TMP/pidfd.py" <<'PY'
import os, sys
fd = os.pidfd_open(int(sys.argv[1]))
os.dup2(fd, 8)
os.execvp(sys.argv[2], sys.argv[2:])
PY

back_in_force()
{
	wait_until "the exemption back ($1)" sh -c "[ \"\$(grep -c 'host mount exemption back in force' '$T_LOG')\" -ge $1 ]"
}

# attack ID WORKER FD REASON: registered, the worker withdrew the exemption for REASON; it
# enters canisterd's mount namespace through its descriptor FD and runs $FS/true there.
attack()
{
	cn set "$NW_PID" "$1" >/dev/null || fail "cannot register the $2 worker"
	grep -qE "host mount exemption withdrawn: container $1 $4" "$T_LOG" ||
		fail "$2: no withdrawal logged for container $1: $(grep 'exemption' "$T_LOG" | tail -n 2)"
	expect_match "$(coverage)" "^every open judged \\(withdrawn: container $1 $4" "the coverage line ($2)"
	out=$(ns_step "$2" run "python3 '$T_TMP/enter.py' $3 '$FS/true' && echo ran")
	expect_eq "$out" ran "$2: the exec in canisterd's mount namespace"
	expect_eq "$(entries "$1" "$FS/true")" 1 "$2: the exec through canisterd's mount after setns, measured"
	echo quit >"$T_TMP/$2/fifo"
}

# (1) A pidfd of this case's shell (a host process): setns(pidfd, CLONE_NEWNS).
NW_WRAP="python3 $T_TMP/pidfd.py $$"
ns_worker p1 fork,proc -m -p -f --kill-child --propagation slave
NW_WRAP=
attack 1421 p1 8 "holds a pidfd \\(8\\)"
back_in_force 1

# (2) canisterd's mount namespace itself, as descriptor 9.
exec 9<"/proc/$$/ns/mnt"
ns_worker n2 fork,proc -m -p -f --kill-child --propagation slave
exec 9<&-
attack 1422 n2 9 "holds canisterd's mount or pid namespace \\(descriptor 9\\)"
exit 0
