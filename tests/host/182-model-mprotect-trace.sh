# SPDX-License-Identifier: GPL-2.0-only
# canister: trace mode records an mprotect whose new protection has PROT_EXEC as the event
# file_mprotect (docs/model.md, "mprotect adding PROT_EXEC"), from the mprotect and
# pkey_mprotect tracepoints, and denies nothing.  A workload that maps memory read-write and
# never makes it executable learns no file_mprotect (an mprotect without PROT_EXEC is no
# event); enforced in a new container, the same program mapping RW, writing code, making it
# R-X with mprotect (and pkey_mprotect) and calling it runs (trace mode cannot deny) and is
# recorded as forensics with res=1, its CELL anonymous, reqprot and prot as lsm mode's hook
# hashes them; READ_IMPLIES_EXEC's mprotect(PROT_READ) is recorded with PROT_EXEC applied.
# Every exported coefficient recomputes independently.  VM 132 is the same in lsm mode, where
# the enforced container's are denied.
. "$(dirname "$0")/../lib/harness.sh"
. "$(dirname "$0")/../lib/integrity.sh"

MPX="${CANISTER_TOOLS:+$CANISTER_TOOLS/}mprotect-exec"
command -v "$MPX" >/dev/null || fail "no $MPX (make test-host builds it)"
MPX=$(command -v "$MPX")

integrity_config 'measure func=BPRM_CHECK
' 10000
trap 'integrity_cleanup' EXIT
start_daemon
expect_match "$(cn status)" '^mode: trace$' "mode"
expect_match "$(cn status)" 'observed: .* file_mprotect; unavailable: ' "file_mprotect observed"

# mpx ID ARGS...: mprotect-exec in container ID under ARGS' model; exit status in $status.
mpx()
{
	local id=$1

	shift
	status=0
	said=$(cn run --id "$id" "$@") || status=$?
}

# Learned: RW memory, no PROT_EXEC ever (and PROT_NONE): no file_mprotect.
mpx 1821 --model learn -- "$MPX" rw -
expect_eq "$status" 0 "the learning run ($said)"
cn model 1821 events >"$T_TMP/learned.jsonl" || fail "events"
grep -q '"file_mprotect"' "$T_TMP/learned.jsonl" &&
	fail "an mprotect without PROT_EXEC was an event: $(grep file_mprotect "$T_TMP/learned.jsonl")"
cn model 1821 export "$T_TMP/rw.model" || fail "export failed"

# The JIT's mprotect, enforced: it runs (trace mode denies nothing) and is forensics.
mpx 1822 --model "$T_TMP/rw.model" --model-enforce -- "$MPX" rw rx
expect_eq "$status" 0 "mprotect to R-X, enforced in trace mode ($said)"
expect_match "$said" 'rx: ran 42' "the code ran"
expect_record "type=CONTAINER_MODEL .* op=file_mprotect contid=1822 .*event=file_mprotect coefficient=[0-9a-f]{64} mode=enforce res=1" \
	"the mprotect's forensics record" 30
denied=$(cn model 1822 counts | awk '$1 == "denied" { print $2 }')
expect_eq "${denied:-0}" 0 "denials counted in trace mode"

# pkey_mprotect and READ_IMPLIES_EXEC's mprotect(PROT_READ), each in a container of its own.
mpx 1823 --model "$T_TMP/rw.model" --model-enforce -- "$MPX" pkey:rx
expect_eq "$status" 0 "pkey_mprotect to R-X ($said)"
expect_record "type=CONTAINER_MODEL .* op=file_mprotect contid=1823 .*mode=enforce res=1" \
	"pkey_mprotect's forensics record" 30
mpx 1824 --model "$T_TMP/rw.model" --model-enforce -- "$MPX" implies:r
expect_eq "$status" 0 "mprotect(PROT_READ) under READ_IMPLIES_EXEC ($said)"
expect_match "$said" 'implies:r: ran 42' "the implied code ran"
expect_record "type=CONTAINER_MODEL .* op=file_mprotect contid=1824 .*mode=enforce res=1" \
	"READ_IMPLIES_EXEC's forensics record" 30

# The CELLs: anonymous, as asked and as applied (PROT_READ|PROT_EXEC, and PROT_READ made R-X).
for id in 1822 1823 1824; do
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
1824 1 1 5" "the file_mprotect CELLs"
python3 "$(dirname "$0")/../tools/model-recompute.py" "$T_TMP/enforced.jsonl" ||
	fail "the exported coefficients do not recompute"
exit 0
