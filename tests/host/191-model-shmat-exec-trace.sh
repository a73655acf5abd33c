# SPDX-License-Identifier: GPL-2.0-only
# canister: trace mode records shmat(SHM_EXEC) (docs/model.md, "Anonymous memory"): SysV shm
# attached executable is mapped by do_shmat() without mmap(2)'s tracepoint, so it was no event in
# trace mode while lsm mode's mmap_file hook sees it.  Now the shmat tracepoints record it with the
# CELL lsm mode's hook hashes: anonymous (type 1, shmem's internal mount), the protection as
# do_shmat() asks it (SHM_RDONLY|SHM_EXEC: R-X, 5; SHM_EXEC: RWX, 7; read-write: 3) and applies it
# (READ_IMPLIES_EXEC makes a read-write attach RWX, 7), and the flags it passes (MAP_SHARED, 1;
# MAP_FIXED too, 17, at an address given).  Enforced under a model without it: forensics res=1 (trace mode denies
# nothing); learned, the same workload enforced leaves no forensics.  A read-write attach is no
# event.  Every exported coefficient recomputes.  VM 134 is lsm mode.
. "$(dirname "$0")/../lib/harness.sh"
. "$(dirname "$0")/../lib/integrity.sh"
. "$(dirname "$0")/../lib/model-trace.sh"

MAN=$(tool_path mmap-anon)

model_trace_start

# anon_cells ID: the container's anonymous mmap_file CELLs, one a line (the loader's R-X mappings
# of the program's libraries are file-backed: type 0, left out).
anon_cells()
{
	cn model "$1" events >"$T_TMP/events-$1.jsonl" || fail "events of $1"
	python3 -c '
import json, sys
for line in open(sys.argv[1]):
    r = json.loads(line)
    if r["event"]["type"] == "mmap_file" and r["mmap_file"]["type"] == "1":
        c = r["mmap_file"]
        print(c["type"], c["reqprot"], c["prot"], c["flags"])
' "$T_TMP/events-$1.jsonl" | sort -u
}

# A model without it: SysV shm attached read-write (no event).
run_in 1911 --model learn -- "$MAN" rw shm
expect_eq "$status" 0 "the learning run ($said)"
expect_eq "$(anon_cells 1911)" "" "a read-write attach is no event"
cn model 1911 export "$T_TMP/rw.model" || fail "export failed"

# Attached R-X and RWX, enforced: attached (trace mode denies nothing) and forensics.
run_in 1912 --model "$T_TMP/rw.model" --model-enforce -- "$MAN" rx shm rwx shm rwx shm@ implies:rw shm
expect_eq "$status" 0 "shmat(SHM_EXEC), enforced in trace mode ($said)"
expect_match "$said" 'implies:rw shm: ok' "every one attached"
expect_record "type=CONTAINER_MODEL .* op=mmap_file contid=1912 .*event=mmap_file coefficient=[0-9a-f]{64} mode=enforce res=1" \
	"the attach's forensics record" 30
# cells_are ID N: the container holds N anonymous mmap_file CELLs (its records reach it after the run).
cells_are() { [ "$(anon_cells "$1" | grep -c .)" -eq "$2" ]; }
wait_until 30 "the attaches' events" cells_are 1912 4
expect_eq "$(anon_cells 1912)" "1 3 7 1
1 5 5 1
1 7 7 1
1 7 7 17" "the CELLs: anonymous; R-X, RWX and RW (made RWX) asked and applied; MAP_SHARED (MAP_FIXED too)"
expect_eq "$(cn model 1912 forensics | grep -c .)" 4 "one forensics entry per attach"
python3 "$(dirname "$0")/../tools/model-recompute.py" "$T_TMP/events-1912.jsonl" ||
	fail "the exported coefficients do not recompute"

# Learned, the same workload enforced is in its model: no forensics.
run_in 1913 --model learn -- "$MAN" rx shm rwx shm rwx shm@ implies:rw shm
expect_eq "$status" 0 "the learning run of the attach ($said)"
wait_until 30 "the attaches learned" cells_are 1913 4
cn model 1913 export "$T_TMP/shm.model" || fail "export failed"
run_in 1914 --model "$T_TMP/shm.model" --model-enforce -- "$MAN" rx shm rwx shm rwx shm@ implies:rw shm
expect_eq "$status" 0 "the learned attach, enforced ($said)"
expect_eq "$(cn model 1914 forensics)" "" "forensics of the learned workload"
exit 0
