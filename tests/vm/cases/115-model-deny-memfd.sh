# SPDX-License-Identifier: GPL-2.0-only
# canister: lsm mode denies an enforced domain an exec the file gate never sees (issue 15).  The
# container's root writes a program into a memfd and runs it (execveat(AT_EMPTY_PATH), and by its
# path /proc/self/fd/N): the memfd lives on the kernel's internal tmpfs mount, which no fanotify
# mark covers, so only the BPF LSM hook bprm_check_security can refuse it.  Enforced, the exec
# gets EPERM and is recorded as forensics (op=exec, the memfd as target, coefficient=none,
# res=0), also where the memfd is the interpreter of a learned script on disk; the same exec
# while learning, under a sealed model and on the host runs.  Without the hook the enforced
# memfd program runs (exit 0).
. "${T_LIB:-$(dirname "$0")/../../lib}/harness.sh"
. "${T_LIB:-$(dirname "$0")/../../lib}/integrity.sh"

EPERM_EXIT=1

# TCG makes canisterd slow: a generous deadline.
integrity_config 'measure func=BPRM_CHECK
' 60000
# busybox picks its applet by the name of argv[0]: the memfd's program runs as true.
ln -s /bin/busybox "$T_TMP/true"
start_daemon
expect_match "$(cn status)" '^mode: lsm$' "mode"
grep -q 'model: bprm_set_creds events: .* never sees (a memfd) denied in the kernel when enforced' \
	"$T_LOG" || fail "the memfd denial is not attached: $(grep 'model:' "$T_LOG" | tail -20)"

# memfd_in HOW ARGS...: backstop-try HOW (memfd-exec or memfd-exec-path) of true in a new container
# (cn run ARGS); its exit status in $status, what it said in $said.
memfd_in()
{
	local how=$1
	shift
	status=0
	said=$(cn run "$@" -- backstop-try "$how" "$T_TMP/true" 2>&1) || status=$?
}

memfd_in memfd-exec --id 1151 --model learn
expect_eq "$status" 0 "the memfd program while learning ($said)"
cn model 1151 export "$T_TMP/memfd.model" || fail "export failed"

# The attack: root in an enforced container runs bytes its model never saw, from a memfd.  The
# process that tried lives on (BACKSTOP_TRY_HOLD) until its untrusted mark is seen: the mark goes
# with the process, so a check after its end would race canisterd's reading of the record.
BACKSTOP_TRY_HOLD=$T_TMP/release-1152 cn run --id 1152 --model "$T_TMP/memfd.model" \
	--model-enforce -- backstop-try memfd-exec "$T_TMP/true" >"$T_TMP/1152.out" 2>&1 &
runner=$!
started "$runner"
wait_for_line "$T_TMP/1152.out" '^refused: Operation not permitted' "what the workload saw"
expect_record "type=CONTAINER_MODEL .* op=exec contid=1152 .* target=\"?/memfd:backstop-try\"? event=bprm_set_creds coefficient=none mode=enforce res=0" \
	"the denied memfd exec's record" 60
denied=$(cn model 1152 counts | awk '$1 == "denied" { print $2 }')
[ "${denied:-0}" -ge 1 ] || fail "the denied exec is not counted: $(cn model 1152 counts)"
offender=$(grep -Eo 'op=exec contid=1152 pid=[0-9]+' "$T_AUDIT" | head -1 | sed 's/.*pid=//')
[ -n "$offender" ] || fail "no pid in the denied exec's record: $(grep 'contid=1152' "$T_AUDIT")"
untrusted() { cn model 1152 untrusted | grep -qx "$offender"; }
wait_until 30 "the process that tried ($offender) untrusted" untrusted
touch "$T_TMP/release-1152"
status=0
wait "$runner" || status=$?
expect_eq "$status" "$EPERM_EXIT" "the memfd program, enforced ($(cat "$T_TMP/1152.out"))"
expect_eq "$(cn model 1152 untrusted)" "" "untrusted processes of 1152 once the one that tried ended"

memfd_in memfd-exec-path --id 1153 --model "$T_TMP/memfd.model" --model-enforce
expect_eq "$status" "$EPERM_EXIT" "the memfd program by /proc/self/fd, enforced ($said)"
expect_record "type=CONTAINER_MODEL .* op=exec contid=1153 .* target=\"?/memfd:backstop-try\"? event=bprm_set_creds coefficient=none mode=enforce res=0" \
	"the denied /proc/self/fd exec's record" 60

# A script on disk whose interpreter is the memfd: the gate sees (and, learned, allows) the
# script, the hook refuses the interpreter.  busybox run as /proc/self/fd/9 finds no applet "9"
# (127): the memfd ran.
printf '#!/proc/self/fd/9\n' >"$T_TMP/script"
chmod 755 "$T_TMP/script"
interp_in()
{
	status=0
	said=$(cn run "$@" -- backstop-try memfd-interp /bin/busybox "$T_TMP/script" 2>&1) || status=$?
}
interp_in --id 1156 --model learn
expect_eq "$status" 127 "the memfd interpreter while learning ($said)"
cn model 1156 export "$T_TMP/interp.model" || fail "export failed"
interp_in --id 1157 --model "$T_TMP/interp.model" --model-enforce
expect_eq "$status" "$EPERM_EXIT" "the memfd interpreter of a learned script, enforced ($said)"
expect_match "$said" '^refused: Operation not permitted' "what the script's caller saw"
expect_record "type=CONTAINER_MODEL .* op=exec contid=1157 .* target=\"?/memfd:backstop-try\"? event=bprm_set_creds coefficient=none mode=enforce res=0" \
	"the denied memfd interpreter's record" 60

# Never denied: a learning domain, a sealed one, the host.
memfd_in memfd-exec --id 1154 --model learn
expect_eq "$status" 0 "the memfd program in a new learning container ($said)"
memfd_in memfd-exec --id 1155 --model "$T_TMP/memfd.model"
expect_eq "$status" 0 "the memfd program, sealed ($said)"
status=0
backstop-try memfd-exec "$T_TMP/true" || status=$?
expect_eq "$status" 0 "the memfd program on the host"
exit 0
