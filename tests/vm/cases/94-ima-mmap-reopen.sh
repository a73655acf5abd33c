# SPDX-License-Identifier: GPL-2.0-only
# canister: MMAP_CHECK's reopen fallback in lsm mode: with integrity_mmap_digest = canisterd the
# kernel gives no digest, so canisterd opens the mapped file again and hashes it (listed with
# the file's sha256, once); a file deleted between its open and its mapping does not open again
# and is not measured (said in the log, counted); `canister status` counts both.
. "${T_LIB:-$(dirname "$0")/../../lib}/harness.sh"
. "${T_LIB:-$(dirname "$0")/../../lib}/integrity.sh"

# TCG makes canisterd slow: a generous deadline.
integrity_config 'measure func=MMAP_CHECK mask=MAY_EXEC
' 60000
echo "integrity_mmap_digest = canisterd" >>"$T_CONF"
F=$T_TMP/lib.so
G=$T_TMP/gone.so
cp /bin/canister "$F"
cp /bin/canister "$G"
printf '\n' >>"$G"

start_daemon
expect_match "$(cn status)" '^mode: lsm$' "mode"
# Debian's 6.1 has no FS_IOC_GETFSUUID: the status says so, and so does the log.
expect_match "$(cn status)" '^  fsuuid: unavailable \(this kernel has no FS_IOC_GETFSUUID \(Linux 6\.8\+\)\)$' \
	"the status's fsuuid line"
grep -q "integrity: fsuuid= unavailable: this kernel has no FS_IOC_GETFSUUID" "$T_LOG" ||
	fail "canisterd did not log that fsuuid is unavailable: $(grep fsuuid "$T_LOG")"
grep -q "integrity: MMAP_CHECK through lsm.s/mmap_file, digests by canisterd (integrity_mmap_digest = canisterd)" "$T_LOG" ||
	fail "canisterd did not say it hashes mappings itself: $(grep integrity: "$T_LOG")"

L=$LISTS/940/ascii_runtime_measurements

out=$(cn run --id 940 -- sh -c "mmap-exec '$F' && mmap-exec '$F'") || fail "the container's mappings failed: $out"
wait_until 60 "the mapping's entry" integrity_listed "$L" "$F"
expect_eq "$(awk -v f="$F" '$5 == f { print $4 }' "$L")" "sha256:$(sha256sum "$F" | cut -d' ' -f1)" \
	"the digest canisterd read"
expect_eq "$(integrity_counter mmap_kernel_digests)" 0 "digests from the kernel"
[ "$(integrity_counter mmap_rehashed)" -ge 2 ] || fail "mappings hashed by canisterd: $(integrity_counter mmap_rehashed)"

# Deleted between its open and its mapping: no path leads to it, it is not measured.
cn run --id 940 -- mmap-exec --unlink "$G" >/dev/null || fail "the mapping of a deleted file failed"
wait_for_line "$T_LOG" "integrity: $G \(deleted\), mapped executable by pid [0-9]+, not measured: the kernel gave no digest and it does not read again" \
	"the deleted file said not measured" 60
[ "$(integrity_counter mmap_unmeasured)" -ge 1 ] || fail "mappings not measured: $(integrity_counter mmap_unmeasured)"
expect_eq "$(grep -c "gone.so" "$L")" 0 "entries of the deleted file"
expect_match "$(cn status)" "  mmap: [0-9]+ reported, 0 dropped, [0-9]+ measured \(0 digests from the kernel, [0-9]+ hashed by canisterd\), [1-9][0-9]* not measured \(lsm.s/mmap_file, digests by canisterd" \
	"the status's mmap line"
exit 0
