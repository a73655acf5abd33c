# SPDX-License-Identifier: GPL-2.0-only
# canister: lsm mode, canisterd killed with SIGKILL: a container in enforce still runs what the gate allowed, and the pinned backstop denies (EPERM) what was never appraised and what changed; a restart records those denials and carries on.
. "${T_LIB:-$(dirname "$0")/../../lib}/harness.sh"
. "${T_LIB:-$(dirname "$0")/../../lib}/integrity.sh"

integrity_config 'dont_appraise fowner=0
appraise func=BPRM_CHECK
appraise func=MMAP_CHECK mask=MAY_EXEC
' 60000
D=$T_TMP/files
mkdir -p "$D"
hashed() { tool backstop-try set-ima "$1" "0404$(sha256sum "$1" | cut -d' ' -f1)" >/dev/null || fail "security.ima on $1"; }
script() { printf '#!/bin/sh\necho %s\n' "$2" >"$1"; chmod 755 "$1"; chown 1000 "$1"; }
script "$D/good.sh" good
hashed "$D/good.sh"
script "$D/changed.sh" changed
hashed "$D/changed.sh"
cp /bin/busybox "$D/good.so"
chown 1000 "$D/good.so"
hashed "$D/good.so"
cp /bin/busybox "$D/changed.so"
chown 1000 "$D/changed.so"
hashed "$D/changed.so"
trap 'integrity_cleanup' EXIT
refused='refused: Operation not permitted'

start_daemon
grep -q 'integrity: appraisal backstop on' "$T_LOG" ||
	fail "no backstop: $(grep 'backstop' "$T_LOG" | grep -v libbpf | tail -20)"

worker_start 960 enforce
# Whatever runs after the kill must have been allowed before it, the tools included.
expect_eq "$(worker_step 1 "'$D/good.sh'; mmap-exec '$D/good.so'; mmap-exec '$D/changed.so'; '$D/changed.sh'; backstop-try exec '$D/good.sh'")" "good
mapped
mapped
changed
good" "before the kill"

kill -KILL "$T_DAEMON_PID"
wait "$T_DAEMON_PID" 2>/dev/null
T_DAEMON_PID=
# Files written now never reach a gate: fanotify lets every open through once its group is gone.
script "$D/new.sh" new
script "$D/new-hashed.sh" new-hashed
hashed "$D/new-hashed.sh"
cp /bin/busybox "$D/new.so"
chown 1000 "$D/new.so"
echo 'echo changed again' >>"$D/changed.sh"
hashed "$D/changed.sh"
printf 'x' >>"$D/changed.so"

expect_eq "$(worker_step 2 "'$D/good.sh'; mmap-exec '$D/good.so'")" "good
mapped" "what the gate allowed, after the kill"
expect_eq "$(worker_step 3 "backstop-try exec '$D/new.sh' 2>/dev/null")" "$refused" "a new unhashed file"
expect_eq "$(worker_step 4 "backstop-try exec '$D/new-hashed.sh' 2>/dev/null")" "$refused" "a new file never appraised, even hashed"
expect_eq "$(worker_step 5 "backstop-try exec '$D/changed.sh' 2>/dev/null")" "$refused" "a file changed after its verdict"
expect_match "$(worker_step 6 "mmap-exec '$D/new.so'")" "mmap .*: Operation not permitted" "mmap PROT_EXEC of a new file"
expect_eq "$(worker_step 7 "backstop-try memfd-exec /bin/busybox echo ran 2>/dev/null")" "$refused" "a memfd exec"
expect_match "$(worker_step 8 "mmap-exec '$D/changed.so'")" "mmap .*: Operation not permitted" "mmap PROT_EXEC of a library changed after its verdict"

# Back: it records what the kernel denied meanwhile (the pinned ring buffer kept it), and goes on.
start_daemon
expect_match "$(cn status)" '^  backstop: on, [1-9][0-9]* denied' "the denials counted across the restart"
expect_record "op=backstop_bprm_check cause=not-appraised contid=960 pid=[0-9]+ file=\"$D/new.sh\" reason=[^ ]+ mode=enforce res=0" \
	"the record of a denial made while canisterd was gone"
expect_record "op=backstop_bprm_check cause=changed-since-appraised contid=960 pid=[0-9]+ file=\"$D/changed.sh\"" \
	"the record of the changed file"
expect_record "op=backstop_mmap_file cause=not-appraised contid=960 pid=[0-9]+ file=\"$D/new.so\"" \
	"the record of the mapping"
expect_record "op=backstop_mmap_file cause=changed-since-appraised contid=960 pid=[0-9]+ file=\"$D/changed.so\"" \
	"the record of the changed library's mapping"
expect_eq "$(worker_step 9 "'$D/good.sh'; '$D/new-hashed.sh'; '$D/changed.sh'; mmap-exec '$D/new.so' || true")" "good
new-hashed
changed
changed again
mmap-exec: mmap $D/new.so: Operation not permitted" "after the restart, through the gate again"
expect_eq "$(worker_step 10 "backstop-try memfd-exec /bin/busybox echo ran 2>/dev/null")" "$refused" "a memfd exec after the restart"
exit 0
