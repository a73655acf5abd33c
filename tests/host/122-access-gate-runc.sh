# SPDX-License-Identifier: GPL-2.0-only
# canister: the file gate decides a runc container's policy on the path as the container sees it (trace mode).  The bundle's rootfs lies beneath the host's /tmp, and the policy the OCI annotation names is examples/policies/no-exec-tmp.policy in enforce: the container's /bin/busybox (the host's $T_TMP/bundle/rootfs/bin/busybox) runs, and a copy in the container's own /tmp (a tmpfs of its mount namespace) is refused with EPERM, recorded with target="/tmp/prog".
. "$(dirname "$0")/../lib/harness.sh"
. "$(dirname "$0")/../lib/oci-bundle.sh"
. "$(dirname "$0")/../lib/integrity.sh"

runc_case
t_runc_cleanup()
{
	rn delete -f "$CID" >/dev/null 2>&1
	kill_started
	t_cleanup
}
trap t_runc_cleanup EXIT

integrity_config 'measure func=BPRM_CHECK
' 10000
cp "$(dirname "$0")/../../examples/policies/no-exec-tmp.policy" "$T_TMP/no-exec-tmp.policy"
chmod 0644 "$T_TMP/no-exec-tmp.policy"
start_daemon

make_busybox_bundle "$BUNDLE" || fail "cannot make the busybox bundle"
case $BUNDLE in /tmp/*) ;; *) fail "the bundle is not beneath the host's /tmp ($BUNDLE)" ;; esac
# The container's /tmp is marked once canisterd sees its namespace: until then an exec from it
# is not judged, so the container tries until it is refused (every 0.1 s, for at most 30 s).
# busybox run as "prog" is no applet: an exec that went through ends 127, a refused one 126
# (the loop once waited for 0, which no exec of it gives, and so waited for nothing).  The
# shell's error and the echo share one descriptor: runc copies stdout and stderr apart, and
# their order in the log was not the order written.
oci_jq "$BUNDLE" '.process.args = ["sh", "-c",
		"exec 2>&1
		cp /bin/busybox /tmp/prog || exit 1
		i=0
		while /tmp/prog true 2>/dev/null; [ $? -ne 126 ]; do
			i=$((i + 1)); [ $i -lt 300 ] || { echo never refused; exit 1; }
			sleep 0.1
		done
		/tmp/prog true; echo \"refused $?\"
		/bin/busybox echo elsewhere"]' || fail "cannot edit the bundle"
bundle_annotate "$BUNDLE" org.canister.contid 1220 || fail "cannot annotate the bundle"
bundle_annotate "$BUNDLE" org.canister.policy "$T_TMP/no-exec-tmp.policy" || fail "annotation"
bundle_add_hook "$BUNDLE" createRuntime "$CANISTER_HOOK" --socket "$T_SOCK" createRuntime ||
	fail "cannot add the hook"
rn run -b "$BUNDLE" "$CID" </dev/null >"$T_TMP/runc.log" 2>&1 ||
	fail "the runc container failed: $(cat "$T_TMP/runc.log")"
expect_eq "$(cat "$T_TMP/runc.log")" "sh: /tmp/prog: Operation not permitted
refused 126
elsewhere" "the runc container's execs"
expect_record "^type=CONTAINER_ACCESS msg=audit\([0-9.:]+\): op=exec contid=1220 by=1220 pid=[0-9]+ exe=\"[^\"]+\" target=\"/tmp/prog\" right=execute cause=not-granted mode=enforce (repeats=[0-9]+ )?res=0$" \
	"the record of the runc container's denied exec, with the container's path"
no_record "CONTAINER_ACCESS.* target=\"$BUNDLE" "a record with the host's path of the rootfs"
exit 0
