# SPDX-License-Identifier: GPL-2.0-only
# canister: a root in a container under an enforced behaviour model runs a program from a memfd
# (issue 15): memfd_create, the program's bytes written into it, execveat(AT_EMPTY_PATH).  The
# memfd lives on the kernel's own tmpfs, which fanotify refuses to mark, so the file gate never
# sees the exec and cannot deny it (trace mode).  canisterd learns of the exec from identity's
# exec event, which says the executable was reached through a kernel-internal mount, and makes
# it forensics: a CONTAINER_MODEL record (op=exec, the memfd as target, coefficient=none, res=1:
# it ran) and the process untrusted.  Before that the program ran with no record and no mark.
# The payload here waits on a FIFO, so that it is still there to be marked untrusted; host 195
# has programs that end at once.
. "$(dirname "$0")/../lib/harness.sh"
. "$(dirname "$0")/../lib/integrity.sh"

integrity_exec_start

BT="$CANISTER_TOOLS/backstop-try"
F="$T_TMP/fifo"
mkfifo "$F"
# busybox picks its applet by the name of argv[0]: the memfd's program runs as cat.
ln -s /dev/stdin "$T_TMP/cat"
cn run --id 1621 --model learn -- sh -c "$BT exec /bin/true </dev/null" ||
	fail "the learning run failed"
cn model 1621 export "$T_TMP/work.model" || fail "export failed"

# The program's bytes come through a pipe from the host: the container opens no file of them.
/bin/busybox cat /bin/busybox | "$CANISTER" --socket "$T_SOCK" run --id 1622 \
	--model "$T_TMP/work.model" --model-enforce -- \
	sh -c "$BT memfd-exec $T_TMP/cat $F; echo payload-ended" >"$T_TMP/1622.out" 2>&1 &
started $!
payload_runs() { pgrep -f "^$T_TMP/cat $F" >/dev/null; }
wait_until 30 "the memfd's program" payload_runs
payload=$(pgrep -f "^$T_TMP/cat $F")
started "$payload"
expect_match "$(readlink "/proc/$payload/exe")" '^/memfd:backstop-try' "the payload's executable"
# A path with a space is written in hex, as audit writes such a string.
memfd=$(printf '%s' "$(readlink "/proc/$payload/exe")" | od -An -tx1 | tr -d ' \n' | tr a-f A-F)
expect_record "type=CONTAINER_MODEL .* op=exec contid=1622 pid=$payload exe=$memfd target=$memfd event=bprm_set_creds coefficient=none mode=enforce res=1" \
	"the memfd exec's record"
untrusted() { cn model 1622 untrusted | grep -qx "$1"; }
wait_until 30 "the memfd's program untrusted" untrusted "$payload"
echo done >"$F"
wait_for_line "$T_TMP/1622.out" '^payload-ended$' "the payload's end"

# The learned workload under the same model: nothing of it is taken for an unseen exec.
cn run --id 1623 --model "$T_TMP/work.model" --model-enforce -- sh -c "$BT exec /bin/true" ||
	fail "the learned workload under its model"
expect_eq "$(cn model 1623 untrusted)" "" "untrusted processes of the learned workload"
expect_eq "$(cn model 1623 counts | awk '$1 == "denied" { print $2 }')" 0 "1623's denials"
exit 0
