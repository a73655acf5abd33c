# SPDX-License-Identifier: GPL-2.0-only
# canister: the file gate marks what containers can run from beyond canisterd's own mounts: a
# runc container's tmpfs in its own mount namespace, a tmpfs a container mounts in canisterd's
# namespace after the start, and a namespace where the walk to a mount hangs on FUSE, which
# must not hold canisterd (status answers, other namespaces are still marked, the stop is clean).
. "$(dirname "$0")/../lib/harness.sh"
. "$(dirname "$0")/../lib/oci-bundle.sh"

: "${CANISTER_HOOK:=$(dirname "$CANISTER")/canister-oci-hook}"
command -v runc >/dev/null || fail "runc is missing; scripts/install-deps installs it"
[ -x "$CANISTER_HOOK" ] || fail "$CANISTER_HOOK is missing; run make first"

LISTS=$T_TMP/integrity
RUNC_ROOT=$T_TMP/runc
BUNDLE=$T_TMP/bundle
CID=canister-$T_NAME-$$
LATE=$T_TMP/late
STALL=$T_TMP/stall
rn() { runc --root "$RUNC_ROOT" "$@"; }
t_marks_cleanup()
{
	rn delete -f "$CID" >/dev/null 2>&1
	kill_started
	umount "$LATE" 2>/dev/null
	t_cleanup
}
trap t_marks_cleanup EXIT

printf 'measure func=BPRM_CHECK\n' >"$T_TMP/policy"
chmod 600 "$T_TMP/policy"
cat >>"$T_CONF" <<CONF
integrity = on
integrity_policy = $T_TMP/policy
integrity_dir = $LISTS
integrity_deadline_ms = 10000
CONF
start_daemon
grep -q "integrity: measuring" "$T_LOG" || fail "canisterd did not start measuring: $(cat "$T_LOG")"

# entries CONTID FILE: how many entries of the container's list name FILE.
entries() { awk -v f="$2" '$5 == f' "$LISTS/$1/ascii_runtime_measurements" 2>/dev/null | wc -l; }

# (1) runc: the container mounts a tmpfs in its own mount namespace and runs a copy of busybox
# from it.  The mount is seen through the namespace's mount table (the marking is not
# synchronous with it: the second's pause leaves the watch its 100 ms tick and the helper).
make_busybox_bundle "$BUNDLE" || fail "cannot make the busybox bundle"
mkdir -p "$BUNDLE/rootfs/mnt"
oci_jq "$BUNDLE" '.process.args = ["sh", "-c",
		"mount -t tmpfs none /mnt && cp /bin/busybox /mnt/true && sleep 1 && /mnt/true"]
	| .process.capabilities.bounding += ["CAP_SYS_ADMIN"]
	| .process.capabilities.effective += ["CAP_SYS_ADMIN"]
	| .process.capabilities.permitted += ["CAP_SYS_ADMIN"]' || fail "cannot edit the bundle"
bundle_annotate "$BUNDLE" org.canister.contid 961 || fail "cannot annotate the bundle"
# ... with a policy of its own, which the hook sets before the workload's first exec.
printf 'measure func=BPRM_CHECK fowner=0\n' >"$T_TMP/runc.policy"
bundle_annotate "$BUNDLE" org.canister.ima-policy "$T_TMP/runc.policy" ||
	fail "cannot annotate the bundle"
bundle_add_hook "$BUNDLE" createRuntime "$CANISTER_HOOK" --socket "$T_SOCK" createRuntime ||
	fail "cannot add the hook"
rn run -b "$BUNDLE" "$CID" </dev/null >"$T_TMP/runc.log" 2>&1 ||
	fail "the runc container failed: $(cat "$T_TMP/runc.log")"
expect_eq "$(entries 961 /mnt/true)" 1 "a runc container's exec from a tmpfs of its own namespace"
expect_eq "$(cat "$LISTS/961/policy")" "measure func=BPRM_CHECK fowner=0 " \
	"the policy the org.canister.ima-policy annotation named"
rn delete -f "$CID" >/dev/null 2>&1

# (2) canister run, in canisterd's namespace: a tmpfs mounted there after the start.
mkdir -p "$LATE"
cn run --id 962 -- sh -c "mount -t tmpfs none '$LATE' && cp /bin/true '$LATE/x' && sleep 1 &&
	'$LATE/x'" || fail "the container's mount or exec failed"
expect_eq "$(entries 962 "$LATE/x")" 1 "an exec from a tmpfs mounted in canisterd's namespace later"
umount "$LATE"

# (3) A namespace whose tmpfs at STALL/sub is under a FUSE mount (STALL) that never answers:
# the walk to it waits on FUSE.  Made in two steps: unshare's namespace mounts the tmpfs,
# fuse-stall's copy of it stacks FUSE over its parent.  A fork there (nsenter's shell) makes
# canisterd look at that namespace.
mkdir -p "$STALL/sub"
cn run --id 963 -- unshare -m --propagation private sh -c \
	"mount -t tmpfs none '$STALL/sub' && exec '$CANISTER_TOOLS/fuse-stall' '$STALL' '$T_TMP/stall.pid'" \
	>/dev/null 2>&1 &
started $!
wait_for_file "$T_TMP/stall.pid"
stall=$(cat "$T_TMP/stall.pid")
started "$stall"
cn run --id 964 -- nsenter -t "$stall" -m sh -c "/bin/true; echo \$\$ >'$T_TMP/inside.pid'; exec sleep 120" \
	>/dev/null 2>&1 &
started $!
wait_for_file "$T_TMP/inside.pid"
started "$(cat "$T_TMP/inside.pid")"
# Which of the two namespaces canisterd walks first depends on timing: the unshare's, where
# the tmpfs is reachable (and marked), or fuse-stall's, where the walk to it waits on FUSE
# (then reported as not returning, the helper killed).  Either way the FUSE mount is named
# as left out, and nothing of canisterd waits on it.
wait_for_line "$T_LOG" "container 96[34]'s mount namespace [0-9]+: .*FUSE left out \\(not measured\\): $STALL" \
	"the FUSE mount named as left out" 20
timeout 5 "$CANISTER" --socket "$T_SOCK" status >/dev/null || fail "canister status did not answer"
# Other namespaces are still marked meanwhile.
cn run --id 965 -- unshare -m --propagation private sh -c "mount -t tmpfs none '$LATE' &&
	cp /bin/true '$LATE/y' && sleep 1 && '$LATE/y'" || fail "the container's exec failed"
expect_eq "$(entries 965 "$LATE/y")" 1 "an exec from another namespace's tmpfs after a hung walk"

# The stop is bounded with the FUSE server still up.
stop_daemon_within 15
grep -q "integrity: stopped" "$T_LOG" || fail "the gate did not stop: $(tail "$T_LOG")"
