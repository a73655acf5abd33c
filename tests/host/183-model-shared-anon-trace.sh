# SPDX-License-Identifier: GPL-2.0-only
# canister: trace mode takes memory the kernel gives a file of its own (a file on its internal
# shmem mount: shared anonymous memory, a memfd, SysV shm; and /dev/zero's private mapping) for
# anonymous memory, as lsm mode does
# (docs/model.md, "Anonymous memory"): their mprotect to R-X, and a memfd mapped R-X, are recorded
# with the CELL anonymous (type 1), the bytes lsm mode's hook hashes, where they were file-backed
# (type 0) before.  Enforced, trace mode denies nothing: forensics with res=1.  A file on a tmpfs
# a user mounted stays file-backed.  Every exported coefficient recomputes.  VM 134 is lsm mode.
. "$(dirname "$0")/../lib/harness.sh"
. "$(dirname "$0")/../lib/integrity.sh"
. "$(dirname "$0")/../lib/model-trace.sh"

MPX=$(tool_path mprotect-exec)
MAN=$(tool_path mmap-anon)
MEX=$(tool_path mmap-exec)

model_trace_start 'umount "$T_TMP/usertmp" 2>/dev/null'

# Models that never made memory executable, one per program.
run_in 1831 --model learn -- "$MPX" rw
expect_eq "$status" 0 "mprotect-exec's learning run ($said)"
cn model 1831 export "$T_TMP/mpx.model" || fail "export failed"
run_in 1832 --model learn -- "$MAN" r private
expect_eq "$status" 0 "mmap-anon's learning run ($said)"
cn model 1832 export "$T_TMP/man.model" || fail "export failed"

# Enforced (trace mode: recorded, not denied), each in a container of its own.
for step in 1833:shared:rx 1834:memfd:rx 1835:shm:rx 1838:zero:rx; do
	id=${step%%:*}
	run_in "$id" --model "$T_TMP/mpx.model" --model-enforce -- "$MPX" "${step#*:}"
	expect_eq "$status" 0 "${step#*:}, enforced in trace mode ($said)"
	expect_record "type=CONTAINER_MODEL .* op=file_mprotect contid=$id .*mode=enforce res=1" \
		"${step#*:}'s forensics record" 30
done
run_in 1836 --model "$T_TMP/man.model" --model-enforce -- "$MAN" rx memfd
expect_eq "$status" 0 "a memfd mapped R-X, enforced in trace mode ($said)"
expect_record "type=CONTAINER_MODEL .* op=mmap_file contid=1836 .*mode=enforce res=1" \
	"the memfd mapping's forensics record" 30

# A file on a user's tmpfs, mapped R-X while learning: file-backed.
mkdir -p "$T_TMP/usertmp"
mount -t tmpfs cn183 "$T_TMP/usertmp" || fail "mount tmpfs"
head -c 4096 /dev/zero >"$T_TMP/usertmp/lib.bin"
# Marked first: the mapping of a process ended before its record is read is named by the gate's
# CELL of its open (the farm's CI on f0f73f6 lost it: "not modelled: No such process").
wait_until 20 "the gate's mark on the user's tmpfs" gate_marks "$T_TMP/usertmp"
run_in 1837 --model learn -- "$MEX" "$T_TMP/usertmp/lib.bin"
expect_eq "$status" 0 "a user tmpfs file mapped R-X ($said)"

for id in 1833 1834 1835 1836 1837 1838; do
	cn model "$id" events >>"$T_TMP/events.jsonl" || fail "events of $id"
done
cells=$(python3 -c '
import json, sys
for line in open(sys.argv[1]):
    r = json.loads(line)
    t = r["event"]["type"]
    if t in ("file_mprotect", "mmap_file"):
        c = r[t]
        # The loader maps the libraries of the program R-X: file-backed mmap_file too.
        if t == "mmap_file" and c["type"] == "0" and \
                not c["file"]["path"]["pathname"].endswith("/usertmp/lib.bin"):
            continue
        print(r["event"]["contid"], t, c["type"], c.get("reqprot", "-"), c["prot"], c.get("flags", "-"))
' "$T_TMP/events.jsonl" | sort -u)
expect_eq "$cells" "1833 file_mprotect 1 5 5 -
1834 file_mprotect 1 5 5 -
1835 file_mprotect 1 5 5 -
1836 mmap_file 1 5 5 1
1837 mmap_file 0 5 5 2
1838 file_mprotect 1 5 5 -" "the CELLs: anonymous but for the user's tmpfs file"
python3 "$(dirname "$0")/../tools/model-recompute.py" "$T_TMP/events.jsonl" ||
	fail "the exported coefficients do not recompute"
exit 0
