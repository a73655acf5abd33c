# SPDX-License-Identifier: GPL-2.0-only
# canister grant|revoke (trace mode): the host's administrator grants host-admin and (container, uid) credentials; nobody else may, not a contained process nor an orchestrator; bad input is refused with nothing changed; grants are kept across a restart, a damaged file is refused loudly, a grant goes with either container; each grant and revoke is recorded; the status says trace mode enforces none of it.
. "$(dirname "$0")/../lib/harness.sh"

A=$T_TMP/access
trap 't_cleanup' EXIT
start_daemon

mkfifo "$T_TMP/end"
hold() # CONTID: its process in $HELD
{
	sh -c "read x <'$T_TMP/end'" &
	HELD=$!
	started $HELD
	cn set $HELD "$1" >/dev/null || fail "cannot register container $1"
}
hold 1230
hold 1231
holder_1231=$HELD
hold 1232
holder_1232=$HELD

# --- grant, list, revoke -----------------------------------------------------------------------
expect_eq "$(cn grant 1230 --list)" "# container 1230 holds no grant" "a container granted nothing"
cn grant 1230 host-admin || fail "grant host-admin failed"
cn grant 1230 --uid 0 --as 1231:1000 || fail "grant a credential for one uid failed"
cn grant 1230 --as 1232:0 || fail "grant a credential for any uid failed"
GRANTS='host-admin
credential --uid 0 --as 1231:1000
credential --as 1232:0'
expect_eq "$(cn grant 1230 --list)" "$GRANTS" "the grants listed"
cn --json grant 1230 --list | jq -e '.contid == "1230" and (.grants | length) == 3
	and .grants[0].right == "host-admin" and .grants[0].granted > 0
	and .grants[1] == (.grants[1] | {right: "credential", uid: 0, as_contid: "1231", as_uid: 1000, granted})
	and .grants[2].uid == -1 and .grants[2].as_contid == "1232" and .grants[2].as_uid == 0' \
	>/dev/null || fail "grant --list --json: $(cn --json grant 1230 --list)"
expect_eq "$(cn grant 1231 --list)" "# container 1231 holds no grant" "a grant is its holder's alone"
[ "$(stat -c %a "$A/grants")" = 600 ] || fail "the grants file's mode: $(stat -c %a "$A/grants")"
expect_eq "$(grep -c '^host-admin 1230 \|^credential 1230 ' "$A/grants")" 3 "the grants file's lines"
# Recorded: who (the administrator's process), to which container, what.
expect_record 'type=CONTAINER_ACCESS msg=audit\([0-9.:]+\): op=grant contid=1230 by=1230 pid=[0-9]+ target="host" right=host-admin cause=granted mode=enforce res=1' \
	"the record of a host-admin grant"
expect_record 'op=grant contid=1230 by=1230 pid=[0-9]+ target="contid:1231,uid:1000,as-uid:0" right=credential cause=granted mode=enforce res=1' \
	"the record of a credential for one uid"
expect_record 'op=grant contid=1230 by=1230 pid=[0-9]+ target="contid:1232,uid:0" right=credential cause=granted' \
	"the record of a credential for any uid"
cn revoke 1230 --as 1232:0 || fail "revoke a credential failed"
expect_eq "$(cn grant 1230 --list)" 'host-admin
credential --uid 0 --as 1231:1000' "after a revoke"
expect_record 'op=revoke contid=1230 by=1230 pid=[0-9]+ target="contid:1232,uid:0" right=credential cause=revoked mode=enforce res=1' \
	"the record of a revoke"
cn --json revoke 1230 host-admin | jq -e '(.grants | length) == 1' >/dev/null ||
	fail "revoke --json"
cn grant 1230 host-admin || fail "grant host-admin again failed"

# --- refusals: the message, the exit status, and nothing changed -----------------------------
BEFORE=$(cn grant 1230 --list)
refused()
{
	rf_what=$1 rf_exit=$2 rf_message=$3
	shift 3
	rf_out=$("$@" 2>&1)
	rf_status=$?
	expect_eq "$rf_status" "$rf_exit" "$rf_what: the exit status (output: $rf_out)"
	expect_eq "$rf_out" "$rf_message" "$rf_what"
	expect_eq "$(cn grant 1230 --list)" "$BEFORE" "$rf_what: the grants after it"
}
refused "a grant held already" 1 "canister: container 1230 holds host-admin already" \
	cn grant 1230 host-admin
refused "a revoke of a grant not held" 1 "canister: container 1230 holds no credential --as 1231:1000" \
	cn revoke 1230 --as 1231:1000
expect_eq "$(cn --json revoke 1230 --as 1231:1000 2>/dev/null | jq -r .errno)" ENOENT \
	"the errno of a revoke of a grant not held"
refused "an unknown container" 1 "canister: no container 1299" cn grant 1299 host-admin
expect_eq "$(cn --json grant 1299 host-admin 2>/dev/null | jq -r .errno)" ESRCH \
	"the errno of an unknown container"
refused "a credential for an unknown container" 1 "canister: no container 1299 (--as 1299:0)" \
	cn grant 1230 --as 1299:0
refused "a credential for itself" 2 \
	"canister: container 1230 needs no credential for itself: its processes act on their own container's already" \
	cn grant 1230 --as 1230:0
refused "--as without a uid" 2 \
	'canister: --as "1231": expected M:V, a container and a uid of it (--as 7:1000)' \
	cn grant 1230 --as 1231
refused "--as with a uid that is not one" 2 \
	'canister: --as: the uid "abc" is not a uid (a decimal number in 0..4294967294)' \
	cn grant 1230 --as 1231:abc
refused "--as with container 0" 2 'canister: --as "0:5": "0" is not a container id' \
	cn grant 1230 --as 0:5
refused "a uid out of range" 2 \
	'canister: --uid "4294967295" is not a uid (a decimal number in 0..4294967294)' \
	cn grant 1230 --uid 4294967295 --as 1231:0
refused "a right that is none" 2 \
	'canister: "root": the right is host-admin, or a credential with --as M:V; usage: canister grant N host-admin | grant N [--uid U] --as M:V | grant N --list [--json]' \
	cn grant 1230 root
# Root without CAP_AUDIT_CONTROL is not the host's administrator.
refused "a caller that is not the host's administrator" 1 \
	"canister: only the host's audit administrator may grant, revoke or list cross-container grants, which widen what a container may do to others (needs CAP_AUDIT_CONTROL in the initial user namespace, outside any container)" \
	setpriv --inh-caps=-audit_control --bounding-set=-audit_control \
	"$CANISTER" --socket "$T_SOCK" grant 1231 host-admin
# ... nor root inside a container, for itself or another.
out=$(cn run --id 1231 -- "$CANISTER" --socket "$T_SOCK" grant 1231 host-admin 2>&1) &&
	fail "a contained process granted its own container host-admin"
expect_match "$out" "^canister: only the host's audit administrator may grant, revoke or list cross-container grants" \
	"a contained process granting"
out=$(cn run --id 1231 -- "$CANISTER" --socket "$T_SOCK" revoke 1230 host-admin 2>&1) &&
	fail "a contained process revoked another container's grant"
expect_eq "$(cn grant 1230 --list)" "$BEFORE" "after a contained process's revoke"
# ... nor an orchestrator, for the container it registered: a grant reaches beyond its own.
cat >"$T_TMP/orchestrator.sh" <<SCRIPT
cn() { "$CANISTER" --socket "$T_SOCK" "\$@"; }
echo \$\$ >"$T_TMP/orchestrator.pid"
sh "$T_AWAIT" "$T_TMP/go" || exit 1
sh -c "read x <'$T_TMP/end'" &
cn set \$! 1233 >"$T_TMP/orchestrator.tmp" 2>&1
echo "set \$?" >>"$T_TMP/orchestrator.tmp"
cn grant 1233 host-admin >>"$T_TMP/orchestrator.tmp" 2>&1
echo "grant \$?" >>"$T_TMP/orchestrator.tmp"
mv "$T_TMP/orchestrator.tmp" "$T_TMP/orchestrator.out"
wait
SCRIPT
cn run --id 1234 -- sh "$T_TMP/orchestrator.sh" &
started $!
wait_for_file "$T_TMP/orchestrator.pid"
cn delegate "$(cat "$T_TMP/orchestrator.pid")" >/dev/null || fail "cannot delegate"
touch "$T_TMP/go"
wait_for_file "$T_TMP/orchestrator.out"
expect_match "$(cat "$T_TMP/orchestrator.out")" "^set 0
canister: only the host's audit administrator may grant, revoke or list cross-container grants .*
grant 1$" "the orchestrator granting its own nested container"
expect_eq "$(cn grant 1233 --list)" "# container 1233 holds no grant" "nothing granted by the orchestrator"

# --- the status: trace mode enforces none of it --------------------------------------------------
cn --json status | jq -e '(.access.rights | length) == 15
	and ([.access.rights[] | select(.right == "isolation signal" or .right == "isolation ptrace") | .canisterd]
		| map(startswith("recorded only (trace mode: no BPF LSM")) == [true, true])
	and (.access.rights[] | select(.right == "grants") | .canisterd | startswith("recorded only"))
	and (.access.rights[] | select(.right == "isolation files") | .canisterd | startswith("not enforced"))' \
	>/dev/null || fail "the isolation rows of status --json: $(cn --json status | jq .access.rights)"
expect_match "$(cn status)" "^  isolation signal: canisterd: recorded only \(trace mode: no BPF LSM; syscall tracepoints; recorder attached\), grants aside" \
	"the isolation signal line of status"

# --- kept across a restart; a damaged file refused loudly; gone with a container ---------------
stop_daemon
start_daemon
expect_eq "$(cn grant 1230 --list)" "$BEFORE" "the grants after a restart"
stop_daemon
printf 'host-admin 1230 x 0\n' >>"$A/grants"
start_daemon
grep -q "access: the stored grants are refused, no container holds one: grants:[0-9]*: expected" "$T_LOG" ||
	fail "no error for a damaged grants file: $(grep 'access:' "$T_LOG")"
expect_eq "$(cn grant 1230 --list)" "# container 1230 holds no grant" "a refused file grants nothing"
[ -e "$A/grants.refused" ] || fail "the refused grants file was not set aside"
expect_match "$(cn status)" "^warning: access: the stored grants were refused at start, no container holds one: grants:" \
	"the status warning of a refused grants file"
cn grant 1230 host-admin || fail "grant after a refused file"
cn grant 1230 --as 1231:0 || fail "grant a credential after a refused file"
cn grant 1232 --as 1230:0 || fail "grant 1232 a credential for 1230"
# The target's drop takes the credential, the holder's drop every grant it holds.
kill "$holder_1231"
wait "$holder_1231" 2>/dev/null
credential_gone() { [ "$(cn grant 1230 --list)" = host-admin ]; }
wait_until 30 "the credential for the dropped container 1231 gone" credential_gone
grep -q ' 1231 ' "$A/grants" && fail "the grants file still names 1231: $(cat "$A/grants")"
kill "$holder_1232"
wait "$holder_1232" 2>/dev/null
holder_gone() { ! grep -q '^credential 1232 ' "$A/grants"; }
wait_until 30 "the grant held by the dropped container 1232 gone" holder_gone
expect_eq "$(cn grant 1232 --list 2>&1)" "canister: no container 1232" "a dropped container's grants"

echo end >"$T_TMP/end"
stop_daemon
