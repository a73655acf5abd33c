# SPDX-License-Identifier: GPL-2.0-only
# canister: MMAP_CHECK in lsm mode: a container's PROT_EXEC mapping of a file is in its list with the file's sha256 (the kernel's IMA digest); a host process's is in none; a container whose chain's policies list no mapping costs no report, a nested one whose ancestor's does is reported.
#
# The policy measures MMAP_CHECK only, so nothing here is fanotify's: the
# file is opened as any file and mapped, never executed (tests/tools/mmap-exec.c).
. "${T_LIB:-$(dirname "$0")/../../lib}/harness.sh"
. "${T_LIB:-$(dirname "$0")/../../lib}/integrity.sh"

# TCG makes canisterd slow: a generous deadline.
integrity_config 'measure func=MMAP_CHECK mask=MAY_EXEC
' 60000
F=$T_TMP/lib.so
H=$T_TMP/host.so
M=$T_TMP/marker.so
cp /bin/canister "$F"
cp /bin/busybox "$H"
printf 'a marker mapped after the host\n' >"$M"

start_daemon
expect_match "$(cn status)" '^mode: lsm$' "mode"
grep -q "integrity: MMAP_CHECK through lsm.s/mmap_file, digests from the kernel's IMA" "$T_LOG" ||
	fail "canisterd did not attach its mapping program: $(grep integrity: "$T_LOG")"

L=$LISTS/920/ascii_runtime_measurements
entries() { awk -v f="$1" '$5 == f' "$L" | wc -l; }
digest_of() { awk -v f="$1" '$5 == f { print $4 }' "$L" | tail -1; }
# The entry is recorded after the mapping (nothing waits for it): wait for it.
listed() { integrity_listed "$L" "$@"; }

out=$(cn run --id 920 -- sh -c "mmap-exec '$F' && mmap-exec '$F'") || fail "the container's mappings failed: $out"
wait_until 60 "the mapping's entry" listed "$F" 1
expect_eq "$(digest_of "$F")" "sha256:$(sha256sum "$F" | cut -d' ' -f1)" "the mapped file's digest"

# A host process's mapping, then a container's: once the container's is
# listed, the host's would have been too, had it been measured.
mmap-exec "$H" >/dev/null || fail "the host's mapping failed"
cn run --id 920 -- mmap-exec "$M" >/dev/null || fail "the marker mapping failed"
wait_until 60 "the marker's entry" listed "$M" 1
expect_eq "$(entries "$H")" 0 "a host process's mapping"
[ "$(ls "$LISTS")" = 920 ] || fail "lists of other containers: $(ls "$LISTS")"
expect_eq "$(entries "$F")" 1 "a file mapped twice"

# Changed, it is measured again, with its new digest.
printf '\n' >>"$F"
cn run --id 920 -- mmap-exec "$F" >/dev/null || fail "the changed file's mapping failed"
wait_until 60 "the changed file's entry" listed "$F" 2
expect_eq "$(digest_of "$F")" "sha256:$(sha256sum "$F" | cut -d' ' -f1)" "the changed file's digest"
expect_eq "$(cat "$LISTS/920/runtime_measurements_count")" "$(wc -l <"$L")" "the count"

# The status counts what MMAP_CHECK saw: each of the three mappings above (and the libraries
# of the programs the container ran) with the kernel's digest, none hashed by canisterd.
[ "$(integrity_counter mmap_kernel_digests)" -ge 3 ] || fail "digests from the kernel: $(integrity_counter mmap_kernel_digests)"
[ "$(integrity_counter mmap_reported)" -ge "$(integrity_counter mmap_kernel_digests)" ] ||
	fail "fewer mappings reported ($(integrity_counter mmap_reported)) than measured"
expect_eq "$(integrity_counter mmap_rehashed)" 0 "mappings hashed by canisterd"
expect_eq "$(integrity_counter mmap_dropped)" 0 "mappings dropped"
expect_match "$(cn status)" "  mmap: [0-9]+ reported, 0 dropped, [0-9]+ measured \([0-9]+ digests from the kernel, 0 hashed by canisterd\), 0 not measured \(lsm.s/mmap_file, digests from the kernel's IMA" \
	"the status's mmap line"

# A container whose own policy lists no mapping (it measures execs) has its mappings counted,
# not reported: the kernel does not hash the whole file at each of them for nothing (before,
# every exec in any container of lsm mode did).  What one marker run reports, once the
# marker is listed (reports are read in order), is the yardstick.
M2=$T_TMP/marker2.so
M3=$T_TMP/marker3.so
printf 'a second marker\n' >"$M2"
printf 'a third marker\n' >"$M3"
printf 'measure func=BPRM_CHECK\n' >"$T_TMP/exec-only.policy"
before=$(integrity_counter mmap_reported)
cn run --id 920 -- mmap-exec "$M2" >/dev/null || fail "the second marker's mapping failed"
wait_until 60 "the second marker's entry" listed "$M2" 1
per_run=$(($(integrity_counter mmap_reported) - before))
[ "$per_run" -ge 1 ] || fail "a marker run reported $per_run mappings"
unlisted=$(integrity_counter mmap_unlisted)
before=$(integrity_counter mmap_reported)
cn run --id 921 --ima-policy "$T_TMP/exec-only.policy" -- mmap-exec "$F" >/dev/null ||
	fail "the exec-only container's mapping failed"
cn run --id 920 -- mmap-exec "$M3" >/dev/null || fail "the third marker's mapping failed"
wait_until 60 "the third marker's entry" listed "$M3" 1
expect_eq "$(($(integrity_counter mmap_reported) - before))" "$per_run" \
	"mappings reported across an exec-only container's run and a marker run"
[ "$(integrity_counter mmap_unlisted)" -ge $((unlisted + per_run)) ] ||
	fail "the exec-only container's mappings are not counted as not reported: $unlisted, then $(integrity_counter mmap_unlisted)"
expect_match "$(cn status)" "  mmap: .*; [1-9][0-9]* not reported \(no policy of the mapper's containers lists mappings\)" \
	"the status counts them"

# Nested in 920 (the default policy, which lists mappings), a container whose own policy lists
# none: the hook walks the chain, so its mapping is reported and in 920's list.
N=$T_TMP/nested.so
printf 'nested\n' >"$N"
cat >"$T_TMP/outer.sh" <<SCRIPT
echo \$\$ >"$T_TMP/outer.pid"
sh "$T_AWAIT" "$T_TMP/go"
"$CANISTER" --socket "$T_SOCK" run --id 922 --ima-policy "$T_TMP/exec-only.policy" -- \
	mmap-exec "$N" >"$T_TMP/nested.out" 2>&1
echo \$? >"$T_TMP/nested.status"
SCRIPT
"$CANISTER" --socket "$T_SOCK" run --id 920 -- sh "$T_TMP/outer.sh" &
started $!
wait_for_file "$T_TMP/outer.pid"
cn delegate "$(cat "$T_TMP/outer.pid")" >/dev/null || fail "delegate failed"
touch "$T_TMP/go"
wait_for_file "$T_TMP/nested.status"
expect_eq "$(cat "$T_TMP/nested.status")" 0 "the nested container's run ($(cat "$T_TMP/nested.out"))"
wait_until 60 "the nested container's mapping in 920's list" listed "$N" 1
exit 0
