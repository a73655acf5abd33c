# SPDX-License-Identifier: GPL-2.0-only
# canister: trace mode records an mprotect whose new protection has PROT_EXEC as the event
# file_mprotect (docs/model.md, "mprotect adding PROT_EXEC"), from the mprotect and
# pkey_mprotect tracepoints, and denies nothing.  A workload that maps memory read-write and
# never makes it executable learns no file_mprotect (an mprotect without PROT_EXEC is no
# event); enforced in a new container, the same program mapping RW, writing code, making it
# R-X with mprotect (and pkey_mprotect) and calling it runs (trace mode cannot deny) and is
# recorded as forensics with res=1, its CELL anonymous, reqprot and prot as lsm mode's hook
# hashes them; READ_IMPLIES_EXEC's mprotect(PROT_READ) is recorded with PROT_EXEC applied; a
# file's private read-only page made R-X is file-backed (type 0: bpf_find_vma() found it).
# Every exported coefficient recomputes independently.  VM 132 is the same in lsm mode, where
# the enforced container's are denied.
. "$(dirname "$0")/../lib/harness.sh"
. "$(dirname "$0")/../lib/integrity.sh"
. "$(dirname "$0")/../lib/model-trace.sh"

MPX=$(tool_path mprotect-exec)

model_trace_start
expect_match "$(cn status)" 'observed: .* file_mprotect; unavailable: ' "file_mprotect observed"

# Learned: RW memory, no PROT_EXEC ever (and PROT_NONE): no file_mprotect.
run_in 1821 --model learn -- "$MPX" rw -
expect_eq "$status" 0 "the learning run ($said)"
cn model 1821 events >"$T_TMP/learned.jsonl" || fail "events"
grep -q '"file_mprotect"' "$T_TMP/learned.jsonl" &&
	fail "an mprotect without PROT_EXEC was an event: $(grep file_mprotect "$T_TMP/learned.jsonl")"
cn model 1821 export "$T_TMP/rw.model" || fail "export failed"

# The JIT's mprotect, enforced: it runs (trace mode denies nothing) and is forensics.
run_in 1822 --model "$T_TMP/rw.model" --model-enforce -- "$MPX" rw rx
expect_eq "$status" 0 "mprotect to R-X, enforced in trace mode ($said)"
expect_match "$said" 'rx: ran 42' "the code ran"
expect_record "type=CONTAINER_MODEL .* op=file_mprotect contid=1822 .*event=file_mprotect coefficient=[0-9a-f]{64} mode=enforce res=1" \
	"the mprotect's forensics record" 30
denied=$(cn model 1822 counts | awk '$1 == "denied" { print $2 }')
expect_eq "${denied:-0}" 0 "denials counted in trace mode"

# pkey_mprotect and READ_IMPLIES_EXEC's mprotect(PROT_READ), each in a container of its own.
run_in 1823 --model "$T_TMP/rw.model" --model-enforce -- "$MPX" pkey:rx
expect_eq "$status" 0 "pkey_mprotect to R-X ($said)"
expect_record "type=CONTAINER_MODEL .* op=file_mprotect contid=1823 .*mode=enforce res=1" \
	"pkey_mprotect's forensics record" 30
run_in 1824 --model "$T_TMP/rw.model" --model-enforce -- "$MPX" implies:r
expect_eq "$status" 0 "mprotect(PROT_READ) under READ_IMPLIES_EXEC ($said)"
expect_match "$said" 'implies:r: ran 42' "the implied code ran"
expect_record "type=CONTAINER_MODEL .* op=file_mprotect contid=1824 .*mode=enforce res=1" \
	"READ_IMPLIES_EXEC's forensics record" 30
# A file's private read-only page (the program's own) made R-X, learned (enforced, the gate would
# refuse the open the model lacks): the mapping the tracepoint looks up (bpf_find_vma()) is
# file-backed, type 0; a lookup that failed would say anonymous (type 1).
run_in 1825 --model learn -- "$MPX" file:rx
expect_eq "$status" 0 "a file's page made R-X ($said)"
learned_mprotect() { cn model 1825 events | grep -q '"file_mprotect"'; }
wait_until 30 "the file page's file_mprotect" learned_mprotect

# The CELLs: anonymous but for the file's page, as asked and as applied (PROT_READ|PROT_EXEC, and
# PROT_READ made R-X).
for id in 1822 1823 1824 1825; do
	cn model "$id" events >>"$T_TMP/enforced.jsonl" || fail "events of $id"
done
cells=$(python3 -c '
import json, sys
for line in open(sys.argv[1]):
    r = json.loads(line)
    if r["event"]["type"] == "file_mprotect":
        c = r["file_mprotect"]
        print(r["event"]["contid"], c["type"], c["reqprot"], c["prot"])
' "$T_TMP/enforced.jsonl" | sort -u)
expect_eq "$cells" "1822 1 5 5
1823 1 5 5
1824 1 1 5
1825 0 5 5" "the file_mprotect CELLs"
python3 "$(dirname "$0")/../tools/model-recompute.py" "$T_TMP/enforced.jsonl" ||
	fail "the exported coefficients do not recompute"
exit 0
