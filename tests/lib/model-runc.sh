# SPDX-License-Identifier: GPL-2.0-only
# canister: runc containers with a behaviour model from the OCI annotations, for host cases 131 and
# 144; POSIX sh, sourced after harness.sh, oci-bundle.sh and integrity.sh.
#
# Starts a daemon that measures every exec, and makes a busybox bundle with canister's hook at
# createRuntime and /bin/prog, a copy of busybox that no workload below runs.  A case numbers its
# containers 1 to 4 (run N ...); they are deleted when it exits.

runc_case
# A workload that forks, executes, and opens a file.
WORK='echo hi; cat /etc/hostname >/dev/null 2>&1; /bin/busybox true'
t_runc_cleanup()
{
	for mr_n in 1 2 3 4; do
		rn delete -f "$CID-$mr_n" >/dev/null 2>&1
	done
	kill_started
	t_cleanup
}
trap t_runc_cleanup EXIT

integrity_config 'measure func=BPRM_CHECK
' 10000
start_daemon

make_busybox_bundle "$BUNDLE" || fail "cannot make the busybox bundle"
cp /bin/busybox "$BUNDLE/rootfs/bin/prog"
bundle_add_hook "$BUNDLE" createRuntime "$CANISTER_HOOK" --socket "$T_SOCK" createRuntime ||
	fail "cannot add the hook"

# run N CONTID ARGS...: runc container N as CONTID with its annotations set before; its output
# in $T_TMP/runc-N.log.
run() {
	n=$1 contid=$2
	shift 2
	bundle_annotate "$BUNDLE" org.canister.contid "$contid" || fail "annotation"
	bundle_set_args "$BUNDLE" "$@" || fail "cannot set the args"
	rn run -b "$BUNDLE" "$CID-$n" </dev/null >"$T_TMP/runc-$n.log" 2>&1
}
