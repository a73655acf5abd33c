# SPDX-License-Identifier: GPL-2.0-only
# canister: lsm mode judges memory the kernel gives a file of its own as anonymous memory
# (docs/model.md, "Anonymous memory"): shared anonymous memory (mmap(MAP_SHARED|MAP_ANONYMOUS)
# gets a shmem file after the mmap hook), a memfd and SysV shm are files on the kernel's internal
# shm mount, which no path reaches, and a private mapping of /dev/zero keeps the device as its
# file, so a JIT's payload that mapped such memory read-write, wrote code and mprotected it R-X
# was only recorded (res=1) and ran.  Now: a workload doing that with shared anonymous memory is
# learned, its CELL anonymous (type 1), and runs enforced; the container's root doing it with a
# memfd, SysV shm or /dev/zero under a model that never made memory executable, or RWX under
# the learned one, or mapping a memfd R-X or attaching SysV shm with SHM_EXEC, gets EPERM, a
# res=0 record, and its code never runs.  A file on a tmpfs a user mounted stays a file
# (its R-X mapping learned as type 0).  VM 132 is the private case; host 183 is trace mode.
. "${T_LIB:-$(dirname "$0")/../../lib}/harness.sh"
. "${T_LIB:-$(dirname "$0")/../../lib}/integrity.sh"

EPERM=1

# TCG makes canisterd slow: a generous deadline.
integrity_config 'measure func=BPRM_CHECK
' 60000
start_daemon

# run_in ARGS...: cn run ARGS; its exit status (the errno) in $status, its lines in $said.
run_in()
{
	status=0
	said=$(cn run "$@") || status=$?
}

# Learned: shared anonymous memory made R-X (a shmem file), anonymous in the CELL.
run_in --id 1341 --model learn -- mprotect-exec shared:rx
expect_eq "$status" 0 "the learning run ($said)"
cn model 1341 events >"$T_TMP/learned.jsonl" || fail "events"
grep -qE '"file_mprotect": \{ "type": "1", "reqprot": "5", "prot": "5" \}' \
	"$T_TMP/learned.jsonl" || fail "not learned as anonymous: $(cat "$T_TMP/learned.jsonl")"
cn model 1341 export "$T_TMP/shared.model" || fail "export failed"

# The learned workload, enforced, runs.
run_in --id 1342 --model "$T_TMP/shared.model" --model-enforce -- mprotect-exec shared:rx
expect_eq "$status" 0 "the learned workload, enforced ($said)"
expect_match "$said" 'shared:rx: ran 42' "the learned code ran"
expect_eq "$(cn model 1342 forensics)" "" "forensics of the learned workload"

# denied ID MODEL WHAT OP PATTERN ARGS...: the enforced container's root runs ARGS (the
# program MODEL learned, which never made such memory executable): EPERM (PATTERN), a res=0
# OP record, the code never run.
denied()
{
	local id=$1 model=$2 what=$3 op=$4 pattern=$5

	shift 5
	run_in --id "$id" --model "$model" --model-enforce -- "$@"
	expect_eq "$status" "$EPERM" "$what, enforced ($said)"
	expect_match "$said" "$pattern" "what the workload saw ($what)"
	case $said in *ran*) fail "$what: the code ran: $said" ;; esac
	expect_record "type=CONTAINER_MODEL .* op=$op contid=$id .*event=$op coefficient=[0-9a-f]{64} mode=enforce res=0" \
		"the denial's record ($what)" 60
}

# One CELL for all anonymous memory (type 1, reqprot, prot): the shared model allows a memfd's
# or SysV shm's R-X mprotect by the same program too.  The attacks run under a model of the
# same program that never made memory executable.
run_in --id 13401 --model learn -- mprotect-exec rw
expect_eq "$status" 0 "the RW learning run ($said)"
cn model 13401 export "$T_TMP/rw.model" || fail "export failed"
M=$T_TMP/rw.model
denied 13402 "$M" "shared anonymous memory made R-X" file_mprotect \
	'shared:rx: mprotect: Operation not permitted' mprotect-exec shared:rx
denied 1343 "$M" "a memfd made R-X" file_mprotect 'memfd:rx: mprotect: Operation not permitted' \
	mprotect-exec memfd:rx
denied 1344 "$M" "SysV shm made R-X" file_mprotect 'shm:rx: mprotect: Operation not permitted' \
	mprotect-exec shm:rx
denied 1349 "$M" "a private mapping of /dev/zero made R-X" file_mprotect \
	'zero:rx: mprotect: Operation not permitted' mprotect-exec zero:rx
denied 1345 "$T_TMP/shared.model" "shared anonymous memory made RWX" file_mprotect \
	'shared:rwx: mprotect: Operation not permitted' mprotect-exec shared:rwx

# A memfd holding code mapped R-X at once (mmap_file), under a model of mmap-anon's that maps
# nothing executable.
run_in --id 1346 --model learn -- mmap-anon r private
expect_eq "$status" 0 "mmap-anon's learning run ($said)"
cn model 1346 export "$T_TMP/r.model" || fail "export failed"
denied 1348 "$T_TMP/r.model" "a memfd mapped R-X" mmap_file \
	'^rx memfd: mmap: Operation not permitted$' mmap-anon rx memfd
denied 1340 "$T_TMP/r.model" "SysV shm attached with SHM_EXEC" mmap_file \
	'^rwx shm: shmat: Operation not permitted$' mmap-anon rwx shm

# A file on a tmpfs a user mounted (the case's own directory, which the gate marks) stays a
# file: its R-X mapping learned as file-backed (type 0).  The event reaches the domain after
# the run (the observer's ring is read on canisterd's tick): waited for.
head -c 4096 /dev/zero >"$T_TMP/lib.bin"
run_in --id 1347 --model learn -- mmap-exec "$T_TMP/lib.bin"
expect_eq "$status" 0 "a user tmpfs file mapped R-X ($said)"
lib_mapping()
{
	cn model 1347 events >"$T_TMP/tmpfs.jsonl" || return 1
	grep -F "\"pathname\": \"$T_TMP/lib.bin\"" "$T_TMP/tmpfs.jsonl" | grep -F '"mmap_file": {' >"$T_TMP/lib.jsonl"
}
wait_until 60 "the tmpfs file's mapping among container 1347's events" lib_mapping
grep -qE '"mmap_file": \{ "type": "0",' "$T_TMP/lib.jsonl" ||
	fail "the tmpfs file's mapping is not file-backed: $(cat "$T_TMP/lib.jsonl")"
grep -qE '"mmap_file": \{ "type": "1",' "$T_TMP/tmpfs.jsonl" &&
	fail "the tmpfs file's mapping is anonymous: $(cat "$T_TMP/tmpfs.jsonl")"

expect_match "$(cn status)" '\([0-9]+ containers; 0 coefficients unlike canisterd.s\)' \
	"enforced in the kernel, and no coefficient differed"
exit 0
