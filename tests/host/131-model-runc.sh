# SPDX-License-Identifier: GPL-2.0-only
# canister: a runc container's behaviour model from the OCI annotations (trace mode).  The
# bundle's rootfs lies beneath the host's /tmp; org.canister.model = learn learns a workload
# with the paths as the container sees them; the model exported and named by
# org.canister.model with org.canister.model-enforce = yes: the same workload runs in a second
# container, and in a third a program the model never saw (/bin/prog, a copy of busybox in the
# rootfs) is denied with EPERM and recorded with the container's path; a model of 100,000 more
# coefficients (larger than a control datagram) from the annotation is loaded and enforced.
. "$(dirname "$0")/../lib/harness.sh"
. "$(dirname "$0")/../lib/oci-bundle.sh"
. "$(dirname "$0")/../lib/integrity.sh"
. "$(dirname "$0")/../lib/model-runc.sh"

bundle_annotate "$BUNDLE" org.canister.model learn || fail "annotation"
run 1 1311 sh -c "$WORK" || fail "the learning container failed: $(cat "$T_TMP/runc-1.log")"
cn model 1311 events >"$T_TMP/events.jsonl" || fail "no model for the learning container"
grep -q '"pathname": *"/bin/busybox"' "$T_TMP/events.jsonl" ||
	fail "no event with the container's path of busybox: $(head -c 600 "$T_TMP/events.jsonl")"
grep -q "$BUNDLE" "$T_TMP/events.jsonl" && fail "an event with the host's path of the rootfs"
python3 "$(dirname "$0")/../tools/model-recompute.py" "$T_TMP/events.jsonl" >/dev/null ||
	fail "the runc container's export does not recompute"
cn model 1311 export "$T_TMP/work.model" || fail "export failed"

bundle_annotate "$BUNDLE" org.canister.model "$T_TMP/work.model" || fail "annotation"
bundle_annotate "$BUNDLE" org.canister.model-enforce yes || fail "annotation"
run 2 1312 sh -c "$WORK" || fail "the enforced container failed: $(cat "$T_TMP/runc-2.log")"
expect_eq "$(cat "$T_TMP/runc-2.log")" hi "the learned workload under its enforced model"
expect_eq "$(cn model 1312 counts | awk '$1 == "mode" { print $2 }')" enforce "the annotated mode"
expect_eq "$(cn model 1312 forensics)" "" "forensics of the learned workload"

# All of it through one descriptor: through two, runc's copies of stdout and stderr interleave
# within a line (the CI run on a4da506 logged "/bin/prog: ...", "hi", then "sh: status=126").
run 3 1313 sh -c "exec 2>&1; $WORK; /bin/prog true; echo status=\$?" ||
	fail "the third container failed: $(cat "$T_TMP/runc-3.log")"
# (Sorted all the same: the order of the lines is not what the case checks.)
expect_eq "$(sort "$T_TMP/runc-3.log")" "hi
sh: /bin/prog: Operation not permitted
status=126" "a program outside the model"
expect_record "type=CONTAINER_MODEL .* op=exec contid=1313 pid=[0-9]+ exe=\"[^\"]*\" target=\"/bin/prog\" event=bprm_set_creds coefficient=[0-9a-f]{64} mode=enforce res=0" \
	"the denied exec's record, with the container's path"

# A model file larger than a control datagram (232 KiB) from the annotation: the hook passes it
# as a sealed memfd (host 150), and the workload runs under it, enforced.
python3 "$(dirname "$0")/../tools/model-widen.py" "$T_TMP/work.model" "$T_TMP/big.model" 100000 ||
	fail "cannot widen the model"
chmod 600 "$T_TMP/big.model"
bundle_annotate "$BUNDLE" org.canister.model "$T_TMP/big.model" || fail "annotation"
run 4 1315 sh -c "$WORK" || fail "the large model's container failed: $(cat "$T_TMP/runc-4.log")"
expect_eq "$(cat "$T_TMP/runc-4.log")" hi "the learned workload under its large enforced model"
expect_eq "$(cn model 1315 counts | awk '$1 == "loaded" { print $2 }')" \
	"$(grep -c '^coefficient ' "$T_TMP/big.model")" "the large annotated model's coefficients"

# A malformed annotation registers nothing: model-enforce without a model file.
bundle_annotate "$BUNDLE" org.canister.model learn || fail "annotation"
run 1 1314 sh -c true && fail "model-enforce with model = learn was taken"
# (runc quotes the hook's words: their quotes come back escaped.)
grep -q 'org.canister.model-enforce.* needs .*org.canister.model.* to name a model file' \
	"$T_TMP/runc-1.log" || fail "the refusal does not say why: $(cat "$T_TMP/runc-1.log")"
exit 0
