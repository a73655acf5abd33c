# SPDX-License-Identifier: GPL-2.0-only
# canister: attacks on the host mount exemption by a container's root: each way to open a file
# through one of canisterd's own mounts (whose ignore marks spare the host's execs the gate) must
# withdraw the exemption before the container runs anything, so that the exec is judged and
# measured: /proc/PID/root with canisterd's pid namespace shared, canisterd's /proc seen from a pid
# namespace of its own, an inherited descriptor of a directory on canisterd's mounts; and a
# mount canisterd's namespace makes after the start is exempt for the host and measured for a
# container that receives it by propagation.
. "$(dirname "$0")/../lib/harness.sh"
. "$(dirname "$0")/../lib/integrity.sh"
. "$(dirname "$0")/../lib/exempt.sh"

PROP=$T_TMP/prop
trap 'ns_cleanup; integrity_cleanup "$PROP/late" "$PROP" "$FS"' EXIT
integrity_setup 'measure func=BPRM_CHECK
'
cp /bin/busybox "$FS/true" || fail "cannot copy busybox"
# A shared mount, so that a mount made beneath it later reaches the containers (slaves of it).
mkdir -p "$PROP" && mount --bind "$PROP" "$PROP" && mount --make-shared "$PROP" ||
	fail "cannot make a shared mount"
LOOP=300
start_daemon
wait_for_line "$T_LOG" "host mount exemption: [1-9][0-9]* of canisterd's mounts ignored" \
	"the ignore marks on canisterd's mounts"

# back_in_force N: the containers that withdrew it gone, the exemption is back (N-th time).
back_in_force()
{
	wait_until "the exemption back ($1)" sh -c "[ \"\$(grep -c 'host mount exemption back in force' '$T_LOG')\" -ge $1 ]"
	wait_until "coverage back ($1)" sh -c "'$CANISTER' --socket '$T_SOCK' status | grep -q '^  coverage: host mounts exempt ([1-9]'"
}

# attack ID WORKER PATH REASON: the worker, registered into ID, withdrew the exemption for
# REASON at its registration; it runs PATH (canisterd's $FS/true, through canisterd's own
# mount), which must be measured; then it quits and the exemption comes back.
attack()
{
	cn set "$NW_PID" "$1" >/dev/null || fail "cannot register the $2 worker"
	expect_match "$(coverage)" "^every open judged \\(withdrawn: container $1 $4" "the coverage line ($2)"
	grep -qE "host mount exemption withdrawn: container $1 $4" "$T_LOG" ||
		fail "$2: no withdrawal logged for container $1"
	out=$(ns_step "$2" run "'$3' && echo ran")
	expect_eq "$out" ran "$2: the exec of $3"
	expect_eq "$(entries "$1" "$FS/true")" 1 "$2: the exec through canisterd's mount ($3), measured"
	echo quit >"$T_TMP/$2/fifo"
}

# (1) canisterd's pid namespace shared (a mount namespace of its own): /proc/PID/root of a host
# process (this case's shell: pid 1 may be out of root's reach in a sandbox) is canisterd's
# root, its mounts canisterd's.
ns_worker a1 nofork -m --propagation slave
attack 1411 a1 "/proc/$$/root$FS/true" "shares canisterd's pid namespace"
back_in_force 1

# (2) A pid namespace of its own, but canisterd's /proc copied into its mount namespace (not
# replaced): it shows canisterd's processes, this shell among them.
ns_worker a2 fork -m -p -f --kill-child --propagation slave
attack 1412 a2 "/proc/$$/root$FS/true" "has canisterd's /proc mounted"
back_in_force 2

# (2b) As runc is registered (its createRuntime hook, before its pivot_root): the new mount
# namespace still holds the copy of canisterd's /proc, which withdraws the exemption; once the
# copy is gone (runc's pivot_root; here an unmount), the exemption comes back while the container
# lives, and the container's own exec is still measured.
ns_worker a2b fork -m -p -f --kill-child --propagation slave
cn set "$NW_PID" 1415 >/dev/null || fail "cannot register the a2b worker"
expect_match "$(coverage)" "^every open judged \\(withdrawn: container 1415 has canisterd's /proc mounted" \
	"the coverage line before the copy of /proc is gone"
ns_step a2b unmount "umount -l /proc && mount -t proc proc /proc" >/dev/null
back_in_force 3
expect_eq "$(ns_step a2b run "'$FS/true' && echo ran")" ran "a2b: the exec from its own mount"
expect_eq "$(entries 1415 "$FS/true")" 1 "a2b: its exec with the exemption back"
echo quit >"$T_TMP/a2b/fifo"

# (3) Namespaces of its own, its own /proc, but a descriptor of canisterd's $FS inherited.
exec 7<"$FS"
ns_worker a3 fork,proc -m -p -f --kill-child --propagation slave
exec 7<&-
attack 1413 a3 "/proc/self/fd/7/true" "holds a descriptor \\(7\\) on canisterd's mounts"
back_in_force 4

# (4) A container with nothing of canisterd's: the exemption stays.  canisterd's namespace then
# mounts a tmpfs beneath the shared mount; it reaches the container by propagation.  The host
# pass gives it an ignore mark (host execs there: no events), and the container's exec of the
# file through its copy of the mount is measured.
ns_worker c4 fork,proc -m -p -f --kill-child --propagation slave
cn set "$NW_PID" 1414 >/dev/null || fail "cannot register the c4 worker"
expect_match "$(coverage)" "^host mounts exempt" "the coverage line with a container of nothing of canisterd's"
ignored=$(integrity_counter exempt_mounts)
mkdir -p "$PROP/late" && mount -t tmpfs none "$PROP/late" && cp /bin/busybox "$PROP/late/true" ||
	fail "cannot mount a tmpfs on the host after the start"
wait_until "an ignore mark on the new host mount" sh -c "[ \"\$('$CANISTER' --socket '$T_SOCK' status --json | jq .integrity.exempt_mounts)\" -gt $ignored ]"
n=$(host_events "$LOOP" "$PROP/late/true")
[ "$n" -lt $((LOOP / 3)) ] || fail "a host loop on a mount made after the start raised $n gate events"
out=$(ns_step c4 run "'$PROP/late/true' && echo ran")
expect_eq "$out" ran "c4: the exec from the propagated mount"
expect_eq "$(entries 1414 "$PROP/late/true")" 1 "the container's exec from a mount made on the host after the start"
echo quit >"$T_TMP/c4/fifo"
exit 0
