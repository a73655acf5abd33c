# SPDX-License-Identifier: GPL-2.0-only
# canister: MMAP_CHECK in lsm mode: a container's PROT_EXEC mapping of a file is in its list with the file's sha256 (the kernel's IMA digest); a host process's is in none.
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
exit 0
