#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# canister: trace mode's isolation recorder tells a 64-bit process's 32-bit system calls (int $0x80) from its native ones: a container's i386 kill of another container's process is recorded as its native kill is, and an i386 getgid32 (whose number is x86_64's tkill) with another container's pid in %rdi is not recorded as a signal.
. "$(dirname "$0")/../lib/harness.sh"
. "$(dirname "$0")/../lib/access.sh"

tool="${CANISTER_TOOLS:+$CANISTER_TOOLS/}compat-call"
# The case needs a kernel with ia32 emulation (CONFIG_IA32_EMULATION=y on the project's hosts).
# A kernel built with it but running with it off (ia32_emulation=false, or a hypervisor's
# kernel that leaves int $0x80 out) faults the instruction: SIGSEGV, so no process there can
# make a 32-bit system call and there is nothing for the recorder to tell apart.  The case
# then checks exactly that, says so, and ends.
sleep 600 &
probe=$!
started $probe
said=$("$tool" kill "$probe" 2>&1)
status=$?
if [ "$status" -eq 139 ] && kill -0 "$probe" 2>/dev/null; then
	echo "168-isolation-trace-compat: int \$0x80 faults on this kernel (SIGSEGV): no 32-bit system call reaches it; the recorder's compat path is not exercised here" >&2
	exit 0
fi
[ "$said" = 0 ] || fail "int \$0x80 kill was refused: the kernel lacks ia32 emulation ($said, status $status)"

start_daemon
grep -q 'access: cross-container isolation recorded only' "$T_LOG" ||
	fail "no isolation recorder: $(grep 'isolation' "$T_LOG" | grep -v libbpf | tail -20)"

# isolation_record OP CONTID TARGET: the pattern of one recorded-only isolation record.
isolation_record()
{
	echo "type=CONTAINER_ACCESS msg=audit\([0-9.:]+\): op=$1 contid=$2 by=$2 pid=[0-9]+ target=\"$3\" right=$1 cause=recorded-only mode=complain res=1\$"
}

hold 1680
hold 1681
B=$HELD
hold 1682
C=$HELD
hold 1683
D=$HELD

# i386's kill(B, 0): let through (0), and recorded as the native one would be.
expect_eq "$(cn run --id 1680 -- "$tool" kill "$B")" 0 "1680's i386 kill of 1681's process"
expect_record "$(isolation_record signal 1680 "pid:$B,uid:0,contid:1681")" "the record of 1680's i386 kill of 1681's process"

# i386's getgid32 with C in %rdi: no signal at all.  A native signal after it is the marker
# that the recorder's reports caught up.
cn run --id 1680 -- "$tool" getgid32 "$C" >/dev/null || fail "1680's i386 getgid32"
cn run --id 1680 -- sh -c "kill -0 $D" || fail "1680's signal 0 to 1683's process"
expect_record "$(isolation_record signal 1680 "pid:$D,uid:0,contid:1683")" "the marker's record"
no_record "op=signal contid=1680 .*target=\"pid:$C," "a signal recorded for 1680's i386 getgid32"
exit 0
