# SPDX-License-Identifier: GPL-2.0-only
# canister: lsm mode: a runc busybox container registered by the OCI hook, its policy from the org.canister.policy annotation (no-exec-tmp.policy's rules and no-net-raw.policy's bound), its root holding CAP_NET_RAW, CAP_SYS_ADMIN and CAP_KILL and sharing the guest's pid namespace: an exec beneath its /tmp is refused with EPERM (126) while /bin runs, a raw socket is refused despite CAP_NET_RAW, a tmpfs mount is refused (the policy handles a file right) while runc init's own mounts after the hook went through, and a SIGTERM to another container's process (canister run) is refused while one to its own goes through; each refusal a CONTAINER_ACCESS record of contid 1460, and `canister policy show 1460 --effective` shows the annotation's policy in enforce; the same policy loaded in complain lets the exec, the raw socket and the mount through, each recorded mode=complain res=1.
# vm-case-timeout: 600
# shellcheck source=tests/lib/harness.sh
. "${T_LIB:-$(dirname "$0")/../../lib}/harness.sh"
. "${T_LIB:-$(dirname "$0")/../../lib}/oci-bundle.sh"
. "${T_LIB:-$(dirname "$0")/../../lib}/integrity.sh"

runc_case
# runc makes the container's cgroup under /sys/fs/cgroup, and canisterd reads it there: the
# guest's init mounts none (as VM 144).
CG2=/sys/fs/cgroup
CG2_MOUNTED=
# shellcheck disable=SC2317 # called from the EXIT trap
t_runc_cleanup()
{
	touch "$T_TMP/shared/end" "$T_TMP/done" 2>/dev/null
	rn delete -f "$CID" >/dev/null 2>&1
	# The other container's run removes its cgroup as it ends: before the umount, not after.
	tc_pids=$T_STARTED
	kill_started
	for tc_pid in $tc_pids; do
		poll_until 10 sh -c "! kill -0 $tc_pid 2>/dev/null"
	done
	[ -z "$CG2_MOUNTED" ] || umount "$CG2" 2>/dev/null
	t_cleanup
}
trap t_runc_cleanup EXIT
if ! grep -q " $CG2 cgroup2 " /proc/mounts; then
	mount -t cgroup2 none "$CG2" || fail "cannot mount cgroup2 at $CG2"
	CG2_MOUNTED=1
fi

# The file gate decides execs (fs execute); TCG makes canisterd slow: a generous deadline.
integrity_config 'measure func=BPRM_CHECK
' 60000
# examples/policies/no-exec-tmp.policy and no-net-raw.policy in one file (an annotation names one).
cat >"$T_TMP/runc.policy" <<'POLICY'
fs handle execute
fs allow execute beneath /
fs deny execute beneath /tmp
fs deny execute beneath /var/tmp
fs deny execute beneath /dev/shm
capability drop CAP_NET_RAW
POLICY
chmod 0644 "$T_TMP/runc.policy"
start_daemon
expect_match "$(cn status)" '^mode: lsm$' "mode"

# Another container's process, which the runc container's root tries to kill.
cn run --id 1461 -- sh -c "echo \$\$ >'$T_TMP/other.pid'; exec sh '$T_AWAIT' '$T_TMP/done' 600" &
started $!
wait_for_file "$T_TMP/other.pid"
OTHER=$(cat "$T_TMP/other.pid")

make_busybox_bundle "$BUNDLE" || fail "cannot make the busybox bundle"
cp "$(command -v raw-socket)" "$BUNDLE/rootfs/bin/raw-socket" || fail "cannot copy raw-socket"
mkdir -p "$BUNDLE/rootfs/mnt" "$BUNDLE/rootfs/shared" "$T_TMP/shared" || fail "mkdir"
# The workload, as its root sees it.  The container's /tmp is marked once canisterd sees its
# namespace: until then an exec from it is not judged, so it tries until refused (126; busybox
# run as "prog" is no applet and ends 127 when it runs).  The shell's errors and its echoes
# share one descriptor, so their order is the order written.  It then says so in /shared and
# waits for the case to read canisterd's view of it and load the policy in complain, when it
# tries the exec, the raw socket and the mount again (isolation needs no policy: not again).
cat >"$BUNDLE/rootfs/workload" <<'WORKLOAD'
exec 2>&1
cp /bin/busybox /tmp/prog || exit 1
deadline=$(($(date +%s) + 120))
while /tmp/prog true 2>/dev/null; [ $? -ne 126 ]; do
	[ "$(date +%s)" -lt "$deadline" ] || { echo "exec beneath /tmp never refused"; exit 1; }
	sleep 0.1
done
/tmp/prog true; echo "exec /tmp/prog: $?"
/bin/busybox true; echo "exec /bin/busybox: $?"
raw-socket; echo "raw socket: $?"
mount -t tmpfs tmpfs /mnt; echo "mount: $?"
sleep 600 &
own=$!
kill -TERM "$own"; echo "SIGTERM own: $?"
kill -TERM "$1"; echo "SIGTERM other: $?"
echo ready >/shared/ready
deadline=$(($(date +%s) + 300))
until [ -e /shared/again ] || [ "$(date +%s)" -ge "$deadline" ]; do sleep 0.1; done
{
	/tmp/prog true; echo "exec /tmp/prog: $?"
	raw-socket; echo "raw socket: $?"
	mount -t tmpfs tmpfs /mnt; echo "mount: $?"
} >/shared/complain.tmp 2>&1
mv /shared/complain.tmp /shared/complain
until [ -e /shared/end ] || [ "$(date +%s)" -ge "$deadline" ]; do sleep 0.1; done
WORKLOAD
# The guest's pid namespace, so that another container's process is there to be signalled; the
# capabilities a root would need for the raw socket and the mount without canister.
# shellcheck disable=SC2016 # $other and $shared are jq's
oci_jq "$BUNDLE" '.process.args = ["sh", "/workload", $other]
	| .linux.namespaces |= map(select(.type != "pid"))
	| .process.capabilities[] += ["CAP_NET_RAW", "CAP_SYS_ADMIN"]
	| .mounts += [{"destination": "/shared", "type": "bind", "source": $shared,
		"options": ["rbind", "rw"]}]' --arg other "$OTHER" --arg shared "$T_TMP/shared" ||
	fail "cannot edit the bundle"
bundle_annotate "$BUNDLE" org.canister.contid 1460 || fail "cannot annotate the bundle"
bundle_annotate "$BUNDLE" org.canister.policy "$T_TMP/runc.policy" || fail "annotation"
bundle_add_hook "$BUNDLE" createRuntime "$CANISTER_HOOK" --socket "$T_SOCK" createRuntime ||
	fail "cannot add the hook"
# --no-pivot: the guest's root is the initramfs (rootfs), which pivot_root cannot move; runc
# then moves the rootfs over / and chroots, both mounts after the hook labelled runc init.
rn run --no-pivot -b "$BUNDLE" "$CID" </dev/null >"$T_TMP/runc.log" 2>&1 &
RUNC=$!
started $RUNC
poll_until 240 test -s "$T_TMP/shared/ready" ||
	fail "the runc container did not finish its checks: $(cat "$T_TMP/runc.log")"

# busybox's mount says "are you root?" for any EPERM: the record below tells it is canisterd's.
expect_eq "$(cat "$T_TMP/runc.log")" "/workload: line 8: /tmp/prog: Operation not permitted
exec /tmp/prog: 126
exec /bin/busybox: 0
socket: Operation not permitted
raw socket: 1
mount: permission denied (are you root?)
mount: 1
SIGTERM own: 0
sh: can't kill pid $OTHER: Operation not permitted
SIGTERM other: 1" "what the runc container's root got"
kill -0 "$OTHER" || fail "the other container's process died"

# canisterd's view while the container lives (its policy goes with it).
effective=$(cn policy show 1460 --effective)
expect_match "$effective" '^# container 1460: mode enforce, its own' "the annotation's policy, enforced"
expect_match "$effective" '^fs deny execute beneath /tmp$' "the file rule in the effective policy"
expect_match "$effective" 'CAP_NET_RAW' "the bound in the effective policy"

PID='pid=[0-9]+ (exe="[^"]+" )?'
expect_record "^type=CONTAINER_ACCESS msg=audit\([0-9.:]+\): op=exec contid=1460 by=1460 ${PID}target=\"/tmp/prog\" right=execute cause=not-granted mode=enforce (repeats=[0-9]+ )?res=0$" \
	"the record of the refused exec"
expect_record "op=capable contid=1460 by=1460 ${PID}target=\"cap_net_raw\" right=capability cause=beyond-bound mode=enforce (repeats=[0-9]+ )?res=0" \
	"the record of the refused raw socket"
expect_record "op=mount contid=1460 by=1460 ${PID}target=\"/mnt\" right=mount cause=fs-handled mode=enforce (repeats=[0-9]+ )?res=0" \
	"the record of the refused mount"
expect_record "op=signal contid=1460 by=1460 ${PID}target=\"pid:$OTHER,uid:0,contid:1461\" right=signal cause=cross-container mode=enforce (repeats=[0-9]+ )?res=0" \
	"the record of the refused signal"
no_record "op=signal contid=1460 .*contid:1460" "a record of the container signalling its own"

# The same policy in complain: what enforce refused goes through, each recorded as it was
# refused (the container's policy is the only defence of these three).
cn policy load 1460 "$T_TMP/runc.policy" --complain >/dev/null || fail "policy load 1460 --complain"
expect_match "$(cn policy show 1460 --effective)" '^# container 1460: mode complain' "complain, shown"
touch "$T_TMP/shared/again"
wait_for_file "$T_TMP/shared/complain"
expect_eq "$(cat "$T_TMP/shared/complain")" "prog: applet not found
exec /tmp/prog: 127
ok
raw socket: 0
mount: 0" "what the runc container's root got in complain"
expect_record "op=exec contid=1460 by=1460 ${PID}target=\"/tmp/prog\" right=execute cause=not-granted mode=complain (repeats=[0-9]+ )?res=1" \
	"the complain record of the exec"
expect_record "op=capable contid=1460 by=1460 ${PID}target=\"cap_net_raw\" right=capability cause=beyond-bound mode=complain (repeats=[0-9]+ )?res=1" \
	"the complain record of the raw socket"
expect_record "op=mount contid=1460 by=1460 ${PID}target=\"/mnt\" right=mount cause=fs-handled mode=complain (repeats=[0-9]+ )?res=1" \
	"the complain record of the mount"

touch "$T_TMP/shared/end"
poll_until 120 sh -c "! kill -0 $RUNC 2>/dev/null" || fail "runc did not end"
wait "$RUNC" || fail "runc failed: $(cat "$T_TMP/runc.log")"
exit 0
