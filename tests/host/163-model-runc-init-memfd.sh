# SPDX-License-Identifier: GPL-2.0-only
# canister: the workload a runc container's init executes runs a program from a memfd before it
# opens any watched file (trace mode).  runc 1.1's init itself runs a memfd copy of runc, so an
# exec the gate never saw by the init's process is not the workload's while the runtime's init
# phase lasts; but the phase ended only at the gate's first event of the init's process running
# another program, and a static workload that makes none kept it open: its memfd exec ran with
# no record and no mark, and an enforced model's kernel denial (lsm mode) never started.  Now
# identity's exec event ends the phase once the init's process runs another program than the
# runtime's.  The workload here is static backstop-try, which copies a static busybox from its
# stdin (a pipe: no watched file) into a memfd and runs it as `sleep`: the memfd exec is
# forensics (op=exec, coefficient=none, res=1) and the process untrusted.
. "$(dirname "$0")/../lib/harness.sh"
. "$(dirname "$0")/../lib/oci-bundle.sh"
. "$(dirname "$0")/../lib/integrity.sh"
. "$(dirname "$0")/../lib/model-runc.sh"

cp "${CANISTER_TOOLS:?}/../static/backstop-try" "$BUNDLE/rootfs/bin/bt" ||
	fail "no static backstop-try (make static)"
# busybox picks its applet by the name of argv[0]: a link named sleep to the pipe.
mkdir -p "$BUNDLE/rootfs/x"
ln -s /dev/stdin "$BUNDLE/rootfs/x/sleep"
ln -s /dev/stdin "$BUNDLE/rootfs/x/true"

bundle_annotate "$BUNDLE" org.canister.model learn || fail "annotation"
run 1 1631 sh -c "$WORK" || fail "the learning container failed: $(cat "$T_TMP/runc-1.log")"
cn model 1631 export "$T_TMP/work.model" || fail "export failed"

bundle_annotate "$BUNDLE" org.canister.model "$T_TMP/work.model" || fail "annotation"
bundle_annotate "$BUNDLE" org.canister.model-enforce yes || fail "annotation"
bundle_annotate "$BUNDLE" org.canister.contid 1632 || fail "annotation"
bundle_set_args "$BUNDLE" /bin/bt memfd-exec /x/sleep 600 || fail "cannot set the args"
/bin/busybox cat /bin/busybox | rn run -b "$BUNDLE" "$CID-2" >"$T_TMP/runc-2.log" 2>&1 &
started $!
payload_runs() { pgrep -f '^/x/sleep 600$' >/dev/null; }
wait_until 30 "the memfd's program" payload_runs
payload=$(pgrep -f '^/x/sleep 600$')
expect_match "$(readlink "/proc/$payload/exe")" '^/memfd:backstop-try' "the payload's executable"
expect_record "type=CONTAINER_MODEL .* op=exec contid=1632 pid=$payload .*coefficient=none mode=enforce res=1" \
	"the memfd exec's record" 30
untrusted() { cn model 1632 untrusted | grep -qx "$1"; }
wait_until 30 "the memfd's program untrusted" untrusted "$payload"
rn kill "$CID-2" KILL 2>/dev/null

# The same workload's memfd program ends at once (busybox's true): the init's process is gone
# before canisterd reads the exec's record, which still says it was a memfd's, ends the phase
# and is recorded (before identity's record said so, the init's gone process left the phase
# open, and the exec was taken for the runtime's own).
bundle_annotate "$BUNDLE" org.canister.contid 1633 || fail "annotation"
bundle_set_args "$BUNDLE" /bin/bt memfd-exec /x/true || fail "cannot set the args"
/bin/busybox cat /bin/busybox | rn run -b "$BUNDLE" "$CID-3" >"$T_TMP/runc-3.log" 2>&1 ||
	fail "the container whose memfd program ends at once: $(cat "$T_TMP/runc-3.log")"
expect_record "type=CONTAINER_MODEL .* op=exec contid=1633 .*target=2F6D656D66643A6261636B73746F702D747279.* coefficient=none mode=enforce res=1" \
	"the record of the memfd exec that ended at once" 30
exit 0
