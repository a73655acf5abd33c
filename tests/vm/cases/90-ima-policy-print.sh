# SPDX-License-Identifier: GPL-2.0-only
# canister: the kernel's IMA takes every rule of a policy canister takes, and every line canister prints for it.
#
# Each rule is written to /sys/kernel/security/ima/policy on its own, so that
# the kernel names those it refuses; a last, invalid line makes the update
# fail, so the guest's policy never changes (CONFIG_IMA_WRITE_POLICY is unset
# in Debian's kernel: one successful write a boot, which other cases may want).
# Debian's 6.1 has no CONFIG_IMA_READ_POLICY either: it cannot print a policy,
# so the printed text is compared with the kernel's printing code instead
# (docs/integrity.md); on a kernel that can print, the case installs canister's
# text and compares what the kernel prints with it, byte for byte.
#
# Not in the policy, because this kernel would refuse them: dont_audit and a
# comment after a rule (IMA takes it since a 2025 change) are canister's.
. "${T_LIB:-$(dirname "$0")/../../lib}/harness.sh"

ima_policy=/sys/kernel/security/ima/policy
[ -e "$ima_policy" ] || fail "$ima_policy is missing: the guest kernel has no IMA (or securityfs is not mounted)"

cat >"$T_TMP/policy.txt" <<'POLICY'
# ima_policy=tcb's filesystems and executions
dont_measure fsmagic=0x9fa0
dont_measure fsmagic=0x62656572
dont_measure fsmagic=0x64626720
dont_measure fsmagic=0x1021994 func=FILE_CHECK
dont_measure fsmagic=0x1cd1
dont_measure fsmagic=0x42494e4d
dont_measure fsmagic=0x73636673
dont_measure fsmagic=0xf97cff8c
dont_measure fsmagic=0x43415d53
dont_measure fsmagic=0x27e0eb
dont_measure fsmagic=0x63677270
dont_measure fsmagic=0x6e736673
dont_measure fsmagic=0xde5e81e4
measure func=MMAP_CHECK mask=MAY_EXEC
measure func=BPRM_CHECK mask=MAY_EXEC

	# every form canister takes, fields in another order than IMA prints them
measure   fsmagic=0X1BADFACE mask=^MAY_EXEC func=FILE_MMAP template=ima-sig
measure euid=+0 func=PATH_CHECK mask=^MAY_READ fsuuid=0123ABCD-0123-4567-89ab-0123456789AB
measure func=FILE_CHECK mask=MAY_APPEND uid>4000000000 fowner=4000000001 template=d-ng|n-ng
dont_measure func=FILE_CHECK mask=^MAY_WRITE fowner<1000 fsmagic=0xdeadbeef
measure fowner>123456 euid<1000 mask=MAY_WRITE fsmagic=+7fffffffffffffff template=d-ng|n-ng|sig
audit func=BPRM_CHECK fsmagic=0x12345678
audit	fsuuid=ffffffff-ffff-ffff-ffff-ffffffffffff	uid=0
appraise fowner=54321 func=BPRM_CHECK appraise_type=imasig
dont_appraise fsmagic=0xfeedface
measure fsmagic=0
dont_measure fowner=2147483648 func=BPRM_CHECK
POLICY

# kernel_refuses FILE: the lines of FILE that the kernel's IMA refuses, each
# line written on its own (busybox echo: one write(2) each); nothing installed.
kernel_refuses()
{
	{
		while IFS= read -r line; do
			echo "$line" 2>/dev/null || printf '%s\n' "$line" >&3
		done <"$1"
		# Refused, as it must be: the update fails and installs nothing.
		echo canister-test-invalid-rule 2>/dev/null
		echo "-- all written" >&3
	} 3>"$T_TMP/refused" >"$ima_policy"
	grep -q '^-- all written$' "$T_TMP/refused" || echo "(could not write $ima_policy)"
	grep -v '^-- all written$' "$T_TMP/refused"
}

tool ima-policy-print "$T_TMP/policy.txt" >"$T_TMP/canister.txt" 2>&1 ||
	fail "canister refused the policy: $(cat "$T_TMP/canister.txt")"
expect_eq "$(kernel_refuses "$T_TMP/policy.txt")" "" "rules the kernel refuses in the policy"

# The kernel prints ids with "%d" and then refuses what it printed for ids of
# 2^31 and up; canister prints the same and reads both forms.
grep -v -e '[<=>]-' "$T_TMP/canister.txt" >"$T_TMP/printed.txt"
grep -e '[<=>]-' "$T_TMP/canister.txt" >"$T_TMP/printed-negative.txt"
expect_eq "$(kernel_refuses "$T_TMP/printed.txt")" "" "lines canister printed that the kernel refuses"
expect_eq "$(kernel_refuses "$T_TMP/printed-negative.txt")" "$(cat "$T_TMP/printed-negative.txt")" \
	"lines with negative ids, which the kernel prints but refuses"
[ -s "$T_TMP/printed-negative.txt" ] || fail "canister printed no negative id: $(cat "$T_TMP/canister.txt")"

if ! cat "$ima_policy" >/dev/null 2>&1; then
	echo "$T_NAME: note: this kernel cannot print its IMA policy (no CONFIG_IMA_READ_POLICY); printing compared with the kernel's source only" >&2
	exit 0
fi
cat "$T_TMP/printed.txt" >"$ima_policy" || fail "the kernel refused canister's printed policy"
cat "$ima_policy" >"$T_TMP/kernel.txt" || fail "cannot read $ima_policy back"
if ! cmp -s "$T_TMP/kernel.txt" "$T_TMP/printed.txt"; then
	echo "--- the kernel's policy file (lines end in \$) ---" >&2
	sed 's/$/$/' "$T_TMP/kernel.txt" >&2
	echo "--- canister's printer ---" >&2
	sed 's/$/$/' "$T_TMP/printed.txt" >&2
	fail "canister prints the policy differently from the kernel"
fi
exit 0
