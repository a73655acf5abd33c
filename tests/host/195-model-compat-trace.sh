# SPDX-License-Identifier: GPL-2.0-only
# canister: trace mode sees a 64-bit process's 32-bit system calls (int $0x80) among those its
# model observers record natively (issue 15; docs/model.md, "32-bit system calls"): the
# tp/syscalls tracepoints they use never fire for a compat call, so before, a sealed container's
# i386 socket(), socketcall and mprotect(PROT_EXEC) left no record, no forensics and no untrusted
# process.  Now each is forensics (op=compat-syscall, the call and its i386 number, not decoded,
# coefficient=none), its process untrusted; in a learning container an unlearned event; a host
# process's call is nobody's.  The body is tests/lib/model-compat.sh (VM 143 runs it too).  It
# needs ia32 emulation: on a kernel without it the case fails, saying so.
. "$(dirname "$0")/../lib/harness.sh"
. "$(dirname "$0")/../lib/integrity.sh"
. "$(dirname "$0")/../lib/model-trace.sh"
. "$(dirname "$0")/../lib/model-compat.sh"

model_compat_case 195
exit 0
