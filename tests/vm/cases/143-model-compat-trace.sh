# SPDX-License-Identifier: GPL-2.0-only
# canister: trace mode's 32-bit system calls, in the guest, whose kernel runs int $0x80 (ia32
# emulation; the project's CI hosts' kernel has it off): canisterd in trace mode (mode = trace) records a sealed container's 32-bit socket(),
# socketcall and mprotect(PROT_EXEC) as forensics (op=compat-syscall), its process untrusted, a
# learning container's as unlearned events (tests/lib/model-compat.sh).
# shellcheck source=tests/lib/harness.sh
. "${T_LIB:-$(dirname "$0")/../../lib}/harness.sh"
# shellcheck source=tests/lib/integrity.sh
. "${T_LIB:-$(dirname "$0")/../../lib}/integrity.sh"
# shellcheck source=tests/lib/model-trace.sh
. "${T_LIB:-$(dirname "$0")/../../lib}/model-trace.sh"
# shellcheck source=tests/lib/model-compat.sh
. "${T_LIB:-$(dirname "$0")/../../lib}/model-compat.sh"

echo 'mode = trace' >>"$T_CONF"
model_compat_case 143
exit 0
