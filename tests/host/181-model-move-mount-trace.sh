# SPDX-License-Identifier: GPL-2.0-only
# canister: trace mode: move_mount(), the new mount API's attach, is a behaviour-model event.  A
# container learning a workload that binds a directory on itself by open_tree(OPEN_TREE_CLONE) and
# move_mount() has a move_mount event in `model N events` (the source a subtree: "whole" 0) that
# tests/tools/model-recompute.py recomputes; a container whose sealed model is that one runs the
# same bind with no move_mount forensics, then the container's root attaches a clone of /proc and
# a new tmpfs made by fsopen() and fsmount(): the syscall tracepoints cannot deny, so both land,
# and each is a forensics record (mode=seal res=1), two in all.
. "$(dirname "$0")/../lib/harness.sh"
. "$(dirname "$0")/../lib/integrity.sh"

STEPS="${CANISTER_TOOLS:+$CANISTER_TOOLS/}model-cred"
command -v "$STEPS" >/dev/null || fail "no $STEPS (make test-host builds it)"
STEPS=$(command -v "$STEPS")

integrity_config 'measure func=BPRM_CHECK
' 10000
trap 'integrity_cleanup' EXIT
start_daemon
available=$(cn status --json | jq -r .model.observed_available)
echo " $available " | grep -q " move_mount " || fail "move_mount not observed: $available"
mkdir -p "$T_TMP/learned" || fail "mkdir"

said=$(cn run --id 1811 --model learn -- "$STEPS" bind "$T_TMP/learned") ||
	fail "the learning run failed: $said"
learned() { cn model 1811 events | grep -q '"type": *"move_mount"'; }
wait_until "the move_mount learned" learned
cn model 1811 events >"$T_TMP/events.jsonl" || fail "events"
expect_eq "$(jq -c 'select(.event.type == "move_mount") | .move_mount.whole' "$T_TMP/events.jsonl")" \
	'"0"' "the learned source: a clone of a subtree"
expect_eq "$(jq -r 'select(.event.type == "move_mount") | .move_mount.type' "$T_TMP/events.jsonl")" \
	"$(findmnt -n -o FSTYPE -T "$T_TMP/learned")" \
	"the learned source's filesystem type, as the kernel names it"
python3 "$(dirname "$0")/../tools/model-recompute.py" "$T_TMP/events.jsonl" >"$T_TMP/recompute.out" 2>&1 ||
	fail "the export does not recompute: $(head -5 "$T_TMP/recompute.out")"
cn model 1811 export "$T_TMP/bind.model" || fail "export failed"

said=$(cn run --id 1812 --model "$T_TMP/bind.model" -- "$STEPS" bind "$T_TMP/learned" \
	bindproc "$T_TMP/learned" fsmount "$T_TMP/learned") || fail "the sealed run failed: $said"
expect_eq "$(echo "$said" | grep -c ': ok$')" 3 "every attach landed (trace mode denies nothing)"
forensics() { [ "$(grep -Ec "$1" "$T_AUDIT")" -ge 2 ]; }
MOVED='type=CONTAINER_MODEL .* op=move_mount contid=1812 pid=[0-9]+ (exe="[^"]*" )?event=move_mount coefficient=[0-9a-f]{64} mode=seal res=1'
wait_until "the two unlearned attaches recorded" forensics "$MOVED"
expect_eq "$(grep -Ec "$MOVED" "$T_AUDIT")" 2 "move_mount forensics: /proc's clone and the new tmpfs, not the learned bind"
exit 0
