# SPDX-License-Identifier: GPL-2.0-only
# canister: lsm mode: the kernel's backstop walks the chain: a nested container whose own mode is off and whose own policy appraises nothing is denied a memfd exec and an exec from an unmarked filesystem by its ancestor in enforce; a sibling outside that ancestor is not.
. "${T_LIB:-$(dirname "$0")/../../lib}/harness.sh"
. "${T_LIB:-$(dirname "$0")/../../lib}/integrity.sh"

integrity_config 'dont_appraise fowner=0
appraise func=BPRM_CHECK
' 60000
# devtmpfs is never marked (mark_pick.c): an exec from it never reaches the gate.
U=/dev/backstop-$$.sh
printf '#!/bin/sh\necho unmarked\n' >"$U"
chmod 755 "$U"
chown 1000 "$U"
cleanup_97()
{
	c97_status=$?
	rm -f "$U"
	(exit "$c97_status")
	integrity_cleanup
}
trap cleanup_97 EXIT
refused='refused: Operation not permitted'
printf 'measure func=BPRM_CHECK\n' >"$T_TMP/nested.policy"

start_daemon
# The outer container (in enforce) runs canister to start the nested one, once delegated.
cat >"$T_TMP/outer.sh" <<SCRIPT
echo \$\$ >"$T_TMP/outer.pid"
sh "$T_AWAIT" "$T_TMP/go"
"$CANISTER" --socket "$T_SOCK" run --id 971 --ima-policy "$T_TMP/nested.policy" -- sh -c \
	"backstop-try memfd-exec /bin/busybox echo ran 2>/dev/null; backstop-try exec '$U' 2>/dev/null" >"$T_TMP/nested.out" 2>&1
echo \$? >"$T_TMP/nested.status"
SCRIPT
"$CANISTER" --socket "$T_SOCK" run --id 970 --appraise enforce -- sh "$T_TMP/outer.sh" &
started $!
wait_for_file "$T_TMP/outer.pid"
cn delegate "$(cat "$T_TMP/outer.pid")" >/dev/null || fail "delegate failed"
touch "$T_TMP/go"
wait_for_file "$T_TMP/nested.status"
expect_eq "$(cat "$T_TMP/nested.out")" "$refused
$refused" "a memfd exec and an unmarked exec in a container nested in one in enforce"
expect_record 'op=backstop_bprm_check cause=not-appraised contid=971,\^970 pid=[0-9]+ ' \
	"the denial's record names the chain"
# Not nested there: its own mode off, nothing denied.
expect_eq "$(cn run --id 972 -- sh -c "backstop-try memfd-exec /bin/busybox echo ran; backstop-try exec '$U'")" "ran
unmarked" "a container outside the one in enforce"
exit 0
