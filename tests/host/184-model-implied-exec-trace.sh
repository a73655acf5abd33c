# SPDX-License-Identifier: GPL-2.0-only
# canister: trace mode records an mmap by the protection the kernel applies (docs/model.md, "mmap
# with PROT_EXEC in the kernel"), derived from the caller's READ_IMPLIES_EXEC personality as lsm
# mode's hook is given it: mmap(PROT_READ|PROT_WRITE) of anonymous memory under that personality
# is mapped RWX, and was no event before.  Enforced under a model without it: forensics res=1,
# the CELL reqprot 3, prot 7 (the bytes lsm mode hashes); learned, the same workload enforced
# leaves no forensics (the coefficient is the learned one).  Without the personality, RW is no
# event.  VM 135 is lsm mode, where it is denied.
. "$(dirname "$0")/../lib/harness.sh"
. "$(dirname "$0")/../lib/integrity.sh"
. "$(dirname "$0")/../lib/model-trace.sh"

MAN=$(tool_path mmap-anon)

model_trace_start

# A model without it: RW memory, no personality (no event).
run_in 1841 --model learn -- "$MAN" rw private
expect_eq "$status" 0 "the first learning run ($said)"
# (The loader's R-X mappings of the program's libraries are file-backed events: type 0.)
cn model 1841 events | grep -qE '"mmap_file": \{ "type": "1"' && fail "an RW mapping was an event"
cn model 1841 export "$T_TMP/rw.model" || fail "export failed"

# Under READ_IMPLIES_EXEC, enforced: it runs (trace mode denies nothing) and is forensics.
run_in 1842 --model "$T_TMP/rw.model" --model-enforce -- "$MAN" implies:rw private
expect_eq "$status" 0 "RW made RWX by READ_IMPLIES_EXEC, enforced in trace mode ($said)"
expect_match "$said" 'implies:rw private: ran 42' "the code ran"
expect_record "type=CONTAINER_MODEL .* op=mmap_file contid=1842 .*event=mmap_file coefficient=[0-9a-f]{64} mode=enforce res=1" \
	"the mapping's forensics record" 30
cn model 1842 events >"$T_TMP/enforced.jsonl" || fail "events"
cells=$(python3 -c '
import json, sys
for line in open(sys.argv[1]):
    r = json.loads(line)
    # Anonymous only: the loader maps the libraries of the program R-X too.
    if r["event"]["type"] == "mmap_file" and r["mmap_file"]["type"] == "1":
        c = r["mmap_file"]
        print(c["type"], c["reqprot"], c["prot"], c["flags"])
' "$T_TMP/enforced.jsonl" | sort -u)
expect_eq "$cells" "1 3 7 34" "the CELL: anonymous, RW asked, RWX applied, MAP_PRIVATE|MAP_ANONYMOUS"
python3 "$(dirname "$0")/../tools/model-recompute.py" "$T_TMP/enforced.jsonl" ||
	fail "the exported coefficients do not recompute"

# Learned, the same workload enforced is in its model: no forensics.
run_in 1843 --model learn -- "$MAN" implies:rw private
expect_eq "$status" 0 "the learning run ($said)"
cn model 1843 export "$T_TMP/implied.model" || fail "export failed"
run_in 1844 --model "$T_TMP/implied.model" --model-enforce -- "$MAN" implies:rw private
expect_eq "$status" 0 "the learned workload, enforced ($said)"
expect_eq "$(cn model 1844 forensics)" "" "forensics of the learned workload"
exit 0
