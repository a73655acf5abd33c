# SPDX-License-Identifier: GPL-2.0-only
# Trace mode's 32-bit system calls (docs/model.md, "32-bit system calls"): the body of VM 143 (the
# CI hosts' kernel has ia32 emulation off), sourced after harness.sh, integrity.sh and model-trace.sh.  A 64-bit process inside a
# container makes i386's socket() (359), socket() through socketcall (102) and mprotect(PROT_EXEC)
# (125) by int $0x80, which the tp/syscalls tracepoints the observers use never see.  socketcall's
# sub-calls are told apart (socket then connect: two records, each its native call's event), ipc's
# semop (no event natively) makes none, and a call a process made while its domain learned is
# recorded again once the domain is sealed.  A call made again by the next program a process
# executes is recorded again; i386's sendto() without an address (a send()) is no connect.

# model_compat_case ID: the case, its containers numbered ID0 to ID9.
model_compat_case()
{
	local id=$1 tool said status holder

	tool=$(tool_path compat-call)
	# The kernel must run int $0x80 at all (ia32 emulation): otherwise there is nothing to see, and
	# the case cannot show anything.  It fails, saying so: it does not pass by skipping.
	status=0
	said=$("$tool" socket 2>&1) || status=$?
	[ "$status" -ne 139 ] ||
		fail "int \$0x80 faults on this kernel (SIGSEGV: $(uname -r) runs with ia32 emulation off; dmesg: $(dmesg 2>/dev/null | grep -i -m1 -E 'ia-?32|32-bit emulation' || echo 'no word')): no 32-bit system call can be made here, so this case cannot show that trace mode sees them (VM 143 runs it where ia32 emulation is on)"
	[ "$status" -eq 0 ] && [ "$said" -ge 0 ] ||
		fail "i386's socket() by int \$0x80 failed outside any container: $said (status $status)"

	model_trace_start
	! grep -q '32-bit system calls (int \$0x80) not seen' "$T_LOG" ||
		fail "the 32-bit calls' observer is not running: $(grep '32-bit system calls' "$T_LOG")"

	# A model of the tool that makes no 32-bit call (its usage error).
	run_in "${id}0" --model learn -- "$tool"
	expect_eq "$status" 2 "the learning run's usage error ($said)"
	cn model "${id}0" export "$T_TMP/compat.model" || fail "export failed"

	# Sealed: the i386 socket() and mprotect(PROT_EXEC) are forensics, the process untrusted while
	# it runs (hold: it stays until killed).
	cn run --id "${id}1" --model "$T_TMP/compat.model" -- "$tool" socket hold \
		>"$T_TMP/socket.out" 2>&1 &
	holder=$!
	started "$holder"
	expect_record "type=CONTAINER_MODEL .* op=compat-syscall contid=${id}1 pid=[0-9]+ .*target=\"socket:i386-359:not-decoded\" event=socket_create coefficient=none mode=seal res=1" \
		"the i386 socket()'s forensics record" 30
	untrusted() { [ -n "$(cn model "${id}1" untrusted)" ]; }
	wait_until 30 "the process that made it untrusted" untrusted
	# Counted as a forensic event; `model N forensics` lists the model's forensic points, and an
	# event without a coefficient is none (as an unseen exec's).
	expect_eq "$(cn model "${id}1" counts | awk '$1 == "forensic_events" { print $2 }')" 1 \
		"${id}1's forensic events"
	for pid in $(cn model "${id}1" untrusted | grep -oE '[0-9]+' | head -1); do
		kill "$pid" 2>/dev/null
	done
	wait "$holder"
	grep -qE '^[0-9]+$' "$T_TMP/socket.out" ||
		fail "the sealed i386 socket() did not return a descriptor: $(cat "$T_TMP/socket.out")"

	run_in "${id}2" --model "$T_TMP/compat.model" -- "$tool" mprotect
	expect_eq "$said" 0 "the sealed i386 mprotect (trace mode denies nothing)"
	expect_record "type=CONTAINER_MODEL .* op=compat-syscall contid=${id}2 pid=[0-9]+ .*target=\"mprotect:i386-125:not-decoded\" event=file_mprotect coefficient=none mode=seal res=1" \
		"the i386 mprotect's forensics record" 30

	# Learning: no forensics, each call counted as an unlearned event (no coefficient to learn).
	run_in "${id}3" --model learn -- sh -c "'$tool' socket && '$tool' mprotect"
	expect_eq "$status" 0 "the learning container's i386 calls ($said)"
	unlearned() { [ "$(cn model "${id}3" counts | awk '$1 == "unlearned" { print $2 }')" = 2 ]; }
	wait_until 30 "two unlearned events in the learning container" unlearned

	# A host process's 32-bit call is nobody's event.
	"$tool" socket >/dev/null || fail "the host's i386 socket()"

	# A domain is a container's: another container for each run.  Its record, read after the
	# learning container's calls and the host's, shows those would have been read by now.
	run_in "${id}4" --model "$T_TMP/compat.model" -- "$tool" socketcall
	expect_eq "$status" 0 "the sealed i386 socketcall ($said)"
	expect_record "type=CONTAINER_MODEL .* op=compat-syscall contid=${id}4 pid=[0-9]+ .*target=\"socketcall.socket:i386-102/1:not-decoded\" event=socket_create coefficient=none mode=seal res=1" \
		"the i386 socketcall's forensics record" 30
	expect_eq "$(grep -c 'op=compat-syscall' "$T_AUDIT")" 3 \
		"compat-syscall records (${id}1, ${id}2 and ${id}4's: none of the learning container's nor the host's)"

	# socketcall's sub-calls, one process: its connect() is not hidden behind its socket()'s
	# record, and is the socket_connect its native call would be.  Recorded at its entry, as the
	# native call is, whatever it returns (the guest's loopback is down: -ENETUNREACH there).
	run_in "${id}5" --model "$T_TMP/compat.model" -- "$tool" socketcall-connect
	expect_eq "$status" 0 "the sealed i386 socketcall connect ($said)"
	expect_record "type=CONTAINER_MODEL .* op=compat-syscall contid=${id}5 pid=[0-9]+ .*target=\"socketcall.socket:i386-102/1:not-decoded\" event=socket_create coefficient=none mode=seal res=1" \
		"the socketcall socket()'s forensics record" 30
	expect_record "type=CONTAINER_MODEL .* op=compat-syscall contid=${id}5 pid=[0-9]+ .*target=\"socketcall.connect:i386-102/3:not-decoded\" event=socket_connect coefficient=none mode=seal res=1" \
		"the socketcall connect()'s forensics record, after the same process's socket()'s" 30

	# Of ipc's sub-calls only an executable shmat is an event natively: a semop and a shmat
	# without SHM_EXEC make no record, a shmat with it its mmap_file.  The i386 socket() after
	# them, in the same container, is read after theirs would have been.
	run_in "${id}6" --model "$T_TMP/compat.model" -- \
		sh -c "'$tool' semop && '$tool' shmat && '$tool' shmat-exec && '$tool' socket"
	expect_eq "$status" 0 "the sealed i386 semop, shmats and socket ($said)"
	expect_eq "$(printf '%s\n' "$said" | head -3 | tr '\n' ' ')" "0 0 0 " \
		"the i386 semop's and shmats' results"
	expect_record "type=CONTAINER_MODEL .* op=compat-syscall contid=${id}6 pid=[0-9]+ .*target=\"socket:i386-359:not-decoded\"" \
		"the i386 socket()'s forensics record after the ipc calls" 30
	expect_record "type=CONTAINER_MODEL .* op=compat-syscall contid=${id}6 pid=[0-9]+ .*target=\"ipc.shmat:i386-117/21:not-decoded\" event=mmap_file coefficient=none mode=seal res=1" \
		"the i386 shmat(SHM_EXEC)'s forensics record" 5
	expect_eq "$(grep -c "op=compat-syscall contid=${id}6 .*target=\"ipc" "$T_AUDIT")" 1 \
		"${id}6's ipc records (the semop and the plain shmat make none)"

	# A process's call while its domain learns, and the same call once it is sealed: the second is
	# forensics (what it saw while learning does not hide it).
	cn run --id "${id}7" --model learn -- "$tool" socket-again "$T_TMP/sealed" \
		>"$T_TMP/again.out" 2>&1 &
	holder=$!
	started "$holder"
	learnt() { [ "$(cn model "${id}7" counts 2>/dev/null | awk '$1 == "unlearned" { print $2 }')" = 1 ]; }
	wait_until 30 "the learning container's first i386 socket() counted unlearned" learnt
	cn model "${id}7" seal >/dev/null || fail "${id}7's seal failed"
	: >"$T_TMP/sealed"
	wait "$holder" || fail "the i386 socket() made again failed: $(cat "$T_TMP/again.out")"
	expect_record "type=CONTAINER_MODEL .* op=compat-syscall contid=${id}7 pid=[0-9]+ .*target=\"socket:i386-359:not-decoded\" event=socket_create coefficient=none mode=seal res=1" \
		"the i386 socket() made again once sealed" 30
	expect_eq "$(grep -c "op=compat-syscall contid=${id}7 " "$T_AUDIT")" 1 \
		"${id}7's compat-syscall records (the sealed call's only)"

	# The same call by the next program the process executes (another file: another inode) is
	# that program's, recorded for it, not hidden behind the first's record.
	cp "$tool" "$T_TMP/compat-call-next"
	run_in "${id}8" --model "$T_TMP/compat.model" -- "$tool" socket-exec "$T_TMP/compat-call-next"
	expect_eq "$status" 0 "the i386 socket(), exec and socket() again ($said)"
	two_sockets() {
		[ "$(grep -c "op=compat-syscall contid=${id}8 .*target=\"socket:i386-359:not-decoded\"" "$T_AUDIT")" = 2 ]
	}
	wait_until 30 "two i386 socket() records of ${id}8, one per program" two_sockets

	# i386's sendto() without an address connects nothing, as natively: no record; socketcall's
	# socket() after it, its record read after the sendto's would have been.
	run_in "${id}9" --model "$T_TMP/compat.model" -- "$tool" sendto
	expect_eq "$status" 0 "the i386 socket(), sendto() and socketcall ($said)"
	expect_record "type=CONTAINER_MODEL .* op=compat-syscall contid=${id}9 pid=[0-9]+ .*target=\"socketcall.socket:i386-102/1:not-decoded\"" \
		"the socketcall socket()'s record after the sendto()" 30
	expect_eq "$(grep -c "op=compat-syscall contid=${id}9 .*target=\"sendto" "$T_AUDIT")" 0 \
		"${id}9's sendto records (a sendto without an address makes none)"
}
