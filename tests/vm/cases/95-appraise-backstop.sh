# SPDX-License-Identifier: GPL-2.0-only
# canister: lsm mode: the appraisal backstop (BPF LSM) denies a container in enforce what the gate never allowed: a memfd exec, an exec from a filesystem without a mark, mmap and mprotect to PROT_EXEC of an unsigned file; signed ones pass; log mode records and allows; a container root cannot write the backstop's maps.
. "${T_LIB:-$(dirname "$0")/../../lib}/harness.sh"
. "${T_LIB:-$(dirname "$0")/../../lib}/integrity.sh"

backstop_config
D=$T_TMP/files
mkdir -p "$D"
# hashed FILE: FILE gets the sha256 hash value evmctl ima_hash would write (04 04 DIGEST).
hashed() { tool backstop-try set-ima "$1" "0404$(sha256sum "$1" | cut -d' ' -f1)" >/dev/null || fail "security.ima on $1"; }
script() { printf '#!/bin/sh\necho %s\n' "$2" >"$1"; chmod 755 "$1"; chown 1000 "$1"; }
script "$D/good.sh" good
hashed "$D/good.sh"
script "$D/bad.sh" bad
cp /bin/busybox "$D/good.so"
chown 1000 "$D/good.so"
hashed "$D/good.so"
cp /bin/busybox "$D/bad.so"
chown 1000 "$D/bad.so"
# devtmpfs is never marked (mark_pick.c): an exec from it never reaches the gate.
U=/dev/backstop-$$.sh
script "$U" unmarked
# The case's status reaches integrity_cleanup through $? (rm would reset it).
cleanup_95()
{
	c95_status=$?
	rm -f "$U"
	(exit "$c95_status")
	integrity_cleanup
}
trap cleanup_95 EXIT

start_daemon
expect_match "$(cn status)" '^mode: lsm$' "mode"
expect_match "$(cn status)" '^  backstop: on, 0 denied' "the status's backstop line"
refused='refused: Operation not permitted'

# First, with no mode set: the unmarked file runs and the gate never sees it (the marker that
# follows it is listed, it is not).
expect_eq "$(cn run --id 951 -- sh -c "'$U'; '$D/good.sh'")" "unmarked
good" "the unmarked and marked scripts without appraisal"
L=$LISTS/951/ascii_runtime_measurements
wait_until 60 "the marked script's entry" integrity_listed "$L" "$D/good.sh"
expect_eq "$(awk -v f="$U" '$5 == f' "$L" | wc -l)" 0 "entries of the file on devtmpfs (no mark)"

# Enforce: the gate allows good.sh and denies bad.sh; the kernel denies what the gate never saw.
run95() { cn run --id 950 --appraise enforce -- "$@" 2>"$T_TMP/err"; }
expect_eq "$(run95 "$D/good.sh")" good "a hashed script in enforce"
run95 "$D/bad.sh" >/dev/null && fail "the gate let an unhashed script run"
expect_eq "$(run95 backstop-try exec "$U")" "$refused" "an exec from devtmpfs (no mark)"
expect_record "op=backstop_bprm_check cause=not-appraised contid=950 pid=[0-9]+ file=\"$U\" reason=[^ ]+ mode=enforce res=0" \
	"the backstop's record of the unmarked exec"
expect_eq "$(run95 backstop-try memfd-exec /bin/busybox echo ran)" "$refused" "a memfd exec"
# Its path ("/memfd:backstop-try (deleted)") holds a space: encoded.
expect_record 'op=backstop_bprm_check cause=not-appraised contid=950 pid=[0-9]+ file=[0-9A-F]+ ' "the memfd exec's record"
expect_eq "$(run95 mmap-exec "$D/good.so")" mapped "mmap PROT_EXEC of a hashed library"
run95 mmap-exec "$D/bad.so" >/dev/null && fail "mmap PROT_EXEC of an unhashed library was allowed"
expect_match "$(cat "$T_TMP/err")" "mmap .*: Operation not permitted" "the mmap's error"
expect_record "op=backstop_mmap_file cause=not-appraised contid=950 pid=[0-9]+ file=\"$D/bad.so\"" "the mmap's record"
expect_eq "$(run95 backstop-try mprotect-exec "$D/good.so")" ok "mprotect to exec of a hashed library"
expect_eq "$(run95 backstop-try mprotect-exec "$D/bad.so")" "$refused" "mprotect to exec of an unhashed file"
# file_mprotect is no sleepable hook: no path from the kernel (the reason names device and inode).
expect_record 'op=backstop_file_mprotect cause=not-appraised contid=950 pid=[0-9]+ file="\?" reason=[^ ]+ mode=enforce res=0' "the mprotect's record"
# Opened (the gate judges it: it passes), changed, then mapped: the inode is not the one judged.
cp "$D/good.so" "$D/later.so"
chown 1000 "$D/later.so"
hashed "$D/later.so"
run95 backstop-try mmap-exec-when "$D/later.so" "$T_TMP/opened" "$T_TMP/changed" >"$T_TMP/later.out" &
later=$!
wait_for_file "$T_TMP/opened"
printf 'x' >>"$D/later.so"
touch "$T_TMP/changed"
wait "$later"
expect_eq "$(cat "$T_TMP/later.out")" "$refused" "mmap PROT_EXEC of a file changed after its verdict"
expect_record "op=backstop_mmap_file cause=changed-since-appraised contid=950 pid=[0-9]+ file=\"$D/later.so\"" \
	"the changed mapping's record"
# Host processes are not appraised.
expect_eq "$(backstop-try memfd-exec /bin/busybox echo ran)" ran "a host process's memfd exec"
[ "$(integrity_counter backstop_denied)" -ge 4 ] || fail "backstop denials: $(integrity_counter backstop_denied)"

# A container root cannot reach the maps that decide it, by pin or by id.
for map in appraise_enforce appraise_verdicts backstop_counts backstop_denials; do
	expect_eq "$(run95 bpf-attack fs obj-get "$T_PIN/$map")" "$refused" "$map by its pin"
	# The kernel keeps 15 bytes of a map's name.
	id=$(tool bpf-attack ids map | awk -v m="$(printf '%.15s' "$map")" '$2 == m { print $1 }' | head -n 1)
	[ -n "$id" ] || fail "no $map among the kernel's maps"
	expect_eq "$(run95 bpf-attack get map "$id")" "$refused" "$map by id"
done

# Log mode: everything runs; the gate records what it judged, the kernel reports what it did not.
run952() { cn run --id 952 --appraise log -- "$@" 2>&1; }
expect_eq "$(run952 "$D/bad.sh")" bad "an unhashed script in log mode"
expect_eq "$(run952 backstop-try exec "$U")" unmarked "an exec from devtmpfs in log mode"
expect_eq "$(run952 backstop-try memfd-exec /bin/busybox echo ran)" ran "a memfd exec in log mode"
expect_eq "$(run952 mmap-exec "$D/bad.so")" mapped "mmap PROT_EXEC in log mode"
expect_eq "$(run952 backstop-try mprotect-exec "$D/bad.so")" ok "mprotect in log mode"
expect_record "op=appraise_data cause=missing-hash contid=952 pid=[0-9]+ file=\"$D/bad.sh\" reason=[^ ]+ mode=log res=0" \
	"log mode's record of the unhashed script"
expect_record "op=appraise_data cause=missing-hash contid=952 pid=[0-9]+ file=\"$D/bad.so\" reason=[^ ]+ mode=log res=0" \
	"log mode's record of the unhashed library (judged at its open)"
expect_record "op=backstop_bprm_check cause=not-appraised contid=952 pid=[0-9]+ file=\"$U\" reason=[^ ]+ mode=log res=0" \
	"log mode's record of the unmarked exec"
expect_record 'op=backstop_bprm_check cause=not-appraised contid=952 pid=[0-9]+ file=[0-9A-F]+ reason=[^ ]+ mode=log ' \
	"log mode's record of the memfd exec"
[ "$(integrity_counter backstop_logged)" -ge 2 ] || fail "backstop reports in log mode: $(integrity_counter backstop_logged)"
exit 0
