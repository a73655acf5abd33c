# SPDX-License-Identifier: GPL-2.0-only
# canister: for the files a container executes, the digests in canister's per-container list equal the kernel's own IMA list's.
#
# The guest boots without ima_policy= (the other cases run under no IMA
# policy), and its root is the initramfs, a tmpfs, which ima_policy=tcb would
# not measure anyway.  So this case mounts a ramfs of its own and installs a
# policy that measures executions there and nowhere else (fsmagic of ramfs,
# which no other case uses): the other cases see the same kernel as before.
# Debian's 6.1 has no CONFIG_IMA_WRITE_POLICY: this is the boot's one policy
# write, so the case is numbered after 90-ima-policy-print, which writes
# rules without installing them; a later case cannot write a policy.
. "${T_LIB:-$(dirname "$0")/../../lib}/harness.sh"
. "${T_LIB:-$(dirname "$0")/../../lib}/integrity.sh"

ima=/sys/kernel/security/ima
ramfs_magic=0x858458f6
[ -e "$ima/ascii_runtime_measurements" ] || fail "$ima is missing: the guest kernel has no IMA (or securityfs is not mounted)"
[ -e "$ima/policy" ] ||
	fail "$ima/policy is gone: this boot's one policy write was used by an earlier case (CONFIG_IMA_WRITE_POLICY is unset)"

FS=$T_TMP/fs
mkdir -p "$FS"
mount -t ramfs none "$FS" || fail "cannot mount a ramfs"
trap 'integrity_cleanup "$FS"' EXIT
expect_eq "0x$(stat -f -c %t "$FS")" "$ramfs_magic" "the ramfs's magic"

printf 'measure func=BPRM_CHECK mask=MAY_EXEC fsmagic=%s\nmeasure func=MMAP_CHECK mask=MAY_EXEC fsmagic=%s\n' \
	"$ramfs_magic" "$ramfs_magic" >"$T_TMP/kernel.policy"
# cat writes the rules in one write(2); the kernel takes one rule a call and
# cat writes the rest again, which is all in one open, so one policy update.
cat "$T_TMP/kernel.policy" >"$ima/policy" || fail "the kernel refused the policy $(cat "$T_TMP/kernel.policy")"

# TCG makes canisterd's judges slow: a generous deadline, so no answer is the fail policy's.
integrity_config 'measure func=BPRM_CHECK
' 60000

# Three executables of different content: a static binary, another one, a script.
cp /bin/busybox "$FS/true"
cp /bin/canister "$FS/canister"
printf '#!/bin/sh\nexit 0\n' >"$FS/script"
chmod 755 "$FS/true" "$FS/canister" "$FS/script"

start_daemon
grep -q "integrity: measuring" "$T_LOG" || fail "canisterd did not start measuring: $(cat "$T_LOG")"
expect_match "$(cn status)" '^mode: lsm$' "mode"

cn run --id 910 -- sh -c "'$FS/true' && '$FS/canister' --version >/dev/null && '$FS/script'" ||
	fail "the container's execs failed"

L=$LISTS/910/ascii_runtime_measurements
K=$ima/ascii_runtime_measurements
cp "$K" "$T_TMP/kernel.list"
compared=0
for f in "$FS/true" "$FS/canister" "$FS/script"; do
	ours=$(awk -v f="$f" '$5 == f { print $4 }' "$L")
	kernels=$(awk -v f="$f" '$5 == f { print $4 }' "$T_TMP/kernel.list")
	[ -n "$kernels" ] || fail "the kernel's IMA list has no entry for $f: $(cat "$T_TMP/kernel.list")"
	expect_eq "$ours" "$kernels" "$f: canister's digest against the kernel's"
	expect_eq "$ours" "sha256:$(sha256sum "$f" | cut -d' ' -f1)" "$f: canister's digest against sha256sum"
	echo "$T_NAME: $f: $ours (kernel: $(awk -v f="$f" '$5 == f { print $3, $4 }' "$T_TMP/kernel.list"))" >&2
	compared=$((compared + 1))
done
expect_eq "$compared" 3 "files compared"
exit 0
