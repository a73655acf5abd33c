# SPDX-License-Identifier: GPL-2.0-only
# canister: the guest kernel has what lsm mode needs (BPF LSM active, BTF, bpffs); tests no canister code.
#
# If this fails, every later VM case fails for a reason that is not
# canister's, so it runs first and names the missing piece.
# shellcheck source=tests/lib/harness.sh
. "${T_LIB:-$(dirname "$0")/../../lib}/harness.sh"

lsm_file=/sys/kernel/security/lsm
[ -r "$lsm_file" ] || fail "$lsm_file is not readable (securityfs not mounted?)"
lsms=$(cat "$lsm_file")
case ",$lsms," in
*,bpf,*) ;;
*) fail "bpf is not an active LSM: $lsm_file lists '$lsms'" ;;
esac

[ -s /sys/kernel/btf/vmlinux ] || fail "/sys/kernel/btf/vmlinux is missing or empty: no kernel BTF for CO-RE"

# The daemon pins its maps there; the guest's /init mounts it.
grep -q ' /sys/fs/bpf bpf ' /proc/mounts || fail "no bpffs at /sys/fs/bpf: $(cat /proc/mounts)"
exit 0
