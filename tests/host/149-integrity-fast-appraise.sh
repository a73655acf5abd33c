# SPDX-License-Identifier: GPL-2.0-only
# canister: the gate's fast answers stop when an ancestor starts to appraise.  A nested
# container (1491 in 1490, neither appraising) runs an unsigned program until the reader
# answers its exec at once; then the outer container's mode becomes enforce, and the nested
# container's next exec of the same, unchanged file is refused (EPERM) and recorded for the
# ancestor: the reader checks every level of the chain it walks, not the opener's alone.
. "$(dirname "$0")/../lib/harness.sh"
. "$(dirname "$0")/../lib/integrity.sh"

appraise_case_setup
# The shells wait on fifos: a case cut short stops them by their pids.
stop_shells()
{
	for f in "$T_TMP/inner.pid" "$T_TMP/outer.pid"; do
		[ ! -s "$f" ] || kill "$(cat "$f")" 2>/dev/null
	done
}
trap 'stop_shells; kill_started; stop_daemon; umount "$FS"; t_cleanup' EXIT
appraise_keys
appraise_program unsigned
start_daemon

fast() { cn --json status | python3 -c 'import json, sys; print(json.load(sys.stdin)["integrity"]["fast"])'; }
# Only a version 2 s old is remembered (integrity_file_key_settled(); host case 101).
settled() { [ $(($(date +%s) - $(stat -c %Z "$FS/unsigned"))) -gt 2 ]; }
wait_until 20 "unsigned's timestamps settled" settled

# The nested container's shell runs the program once per line written to the fifo step,
# and writes each exit status to done.N.
mkfifo "$T_TMP/go" "$T_TMP/step"
cat >"$T_TMP/inner.sh" <<INNER
echo \$\$ >'$T_TMP/inner.pid'
n=1
while read -r line <'$T_TMP/step' && [ "\$line" = run ]; do
	'$FS/unsigned'
	echo \$? >'$T_TMP/done.'\$n
	n=\$((n + 1))
done
INNER
cat >"$T_TMP/outer.sh" <<OUTER
echo \$\$ >'$T_TMP/outer.pid'
read -r _ <'$T_TMP/go'
'$CANISTER' --socket '$T_SOCK' run --id 1491 -- sh '$T_TMP/inner.sh'
OUTER
cn run --id 1490 -- sh "$T_TMP/outer.sh" &
started $!
wait_for_file "$T_TMP/outer.pid"
cn integrity key add 1490 "$K/a.pem" >/dev/null || fail "key a for container 1490"
cn delegate "$(cat "$T_TMP/outer.pid")" >/dev/null || fail "delegate failed"
echo go >"$T_TMP/go"

# step N: one exec of the program in container 1491; its exit status.
step()
{
	echo run >"$T_TMP/step"
	wait_for_file "$T_TMP/done.$1"
	cat "$T_TMP/done.$1"
}

before=$(fast)
for n in 1 2 3; do
	expect_eq "$(step $n)" 0 "exec $n of unsigned, nothing appraising"
done
[ "$(fast)" -gt "$before" ] || fail "no fast answer after three execs of a settled file ($before before, $(fast) after)"

cn integrity appraise 1490 enforce >/dev/null || fail "mode enforce for container 1490"
before=$(fast)
expect_eq "$(step 4)" 126 "exec 4 of unsigned, its ancestor in enforce"
expect_eq "$(fast)" "$before" "fast answers once the ancestor appraises"
expect_record "op=appraise_data cause=IMA-signature-required contid=1490 pid=[0-9]+ file=\"$FS/unsigned\" reason=[^ ]+ mode=enforce res=0" \
	"the ancestor's record of the nested container's exec"
expect_eq "$(cn integrity appraise 1491 | head -1)" "mode: off" "the nested container's own mode"
echo stop >"$T_TMP/step"
wait_until 20 "the containers' shells ended" sh -c "! kill -0 $(cat "$T_TMP/outer.pid") 2>/dev/null"
