# SPDX-License-Identifier: GPL-2.0-only
# canister policy load|show (trace mode): canisterd holds each container's access policy and mode; a nested container's effective policy is narrowed by its parent's and cannot widen it; every refusal with its message and nothing changed; who may; a restart that reloads, one that refuses a damaged file, a dropped container's policy gone; canister run --policy and the OCI annotation register theirs; the status says what enforces each right.
. "$(dirname "$0")/../lib/harness.sh"
. "$(dirname "$0")/../lib/oci-bundle.sh"

: "${CANISTER_HOOK:=$(dirname "$CANISTER")/canister-oci-hook}"
command -v runc >/dev/null || fail "runc is missing; scripts/install-deps installs it"
[ -x "$CANISTER_HOOK" ] || fail "$CANISTER_HOOK is missing; run make first"
A=$T_TMP/access
RUNC_ROOT=$T_TMP/runc
BUNDLE=$T_TMP/bundle
CID=canister-$T_NAME-$$
rn() { runc --root "$RUNC_ROOT" "$@"; }
t_access_cleanup()
{
	rn delete -f "$CID" >/dev/null 2>&1
	kill_started
	t_cleanup
}
trap t_access_cleanup EXIT
start_daemon

# The parent's and the child's policies of docs/access.md's nesting example, in canonical form
# (what `canister policy show` prints back).
PARENT_TEXT='fs handle execute
fs allow execute beneath /
fs deny execute beneath /tmp
net handle connect
net allow connect 1-1000
scope signal
capability drop CAP_NET_RAW'
CHILD_TEXT='fs handle execute,read
fs allow execute,read beneath /srv
fs deny read beneath /srv/private
fs allow execute beneath /tmp
fs allow read beneath /usr
net handle bind,connect
net allow connect 0-499
net allow bind,connect 500-2000
net allow connect 2001-65535
capability keep CAP_CHOWN,CAP_NET_RAW'
EFFECTIVE_TEXT='fs handle execute,read
fs allow execute,read beneath /srv
fs deny read beneath /srv/private
fs allow read beneath /usr
net handle bind,connect
net allow connect 1-499
net allow bind,connect 500-1000
net allow bind 1001-2000
scope signal
capability keep CAP_CHOWN'
# Written as a user would: comments, another order, spellings canisterd prints otherwise.
cat >"$T_TMP/parent.policy" <<'POLICY'
# execution everywhere but /tmp; connects to the low ports; no raw sockets
capability drop cap_net_raw
fs handle execute
fs deny execute beneath /tmp/
fs allow execute beneath //
net handle connect
net allow connect 1-1000
scope signal
POLICY
cat >"$T_TMP/child.policy" <<'POLICY'
# tries to widen: execution beneath /tmp, every port, CAP_NET_RAW back
fs handle execute,read
fs allow execute beneath /tmp
fs allow execute,read beneath /srv
fs deny read beneath /srv/private
fs allow read beneath /usr
net handle connect,bind
net allow connect 0-65535
net allow bind 500-2000
capability keep CAP_NET_RAW,CAP_CHOWN
POLICY
chmod 0644 "$T_TMP/parent.policy" "$T_TMP/child.policy"

# What `policy show` says of each right a policy handles: holding is not enforcing, and this
# case runs no file gate (integrity is off) and no BPF LSM (trace mode): canisterd enforces none
# of it.
GATE_OFF="canisterd: not enforced: the file gate is off (integrity = off in canister.conf)"
HOLDS="canisterd: not enforced, not recorded: held only"
NET="canisterd: recorded only (trace mode: no BPF LSM; syscall tracepoints)"
NO_LSM="canisterd: not enforced, not recorded (trace mode: no BPF LSM)"
STATUS_SAYS="# \`canister status\` says what enforces each right"
PARENT_SAYS="# fs execute: $GATE_OFF
# mounts: $NO_LSM
# net connect: $NET
# scope signal: $HOLDS
# capability bound: $NO_LSM
$STATUS_SAYS"
CHILD_SAYS="# fs execute: $GATE_OFF
# fs read: $GATE_OFF
# mounts: $NO_LSM
# net bind: $NET
# net connect: $NET
# capability bound: $NO_LSM
$STATUS_SAYS"
EFFECTIVE_SAYS="# fs execute: $GATE_OFF
# fs read: $GATE_OFF
# mounts: $NO_LSM
# net bind: $NET
# net connect: $NET
# scope signal: $HOLDS
# capability bound: $NO_LSM
$STATUS_SAYS"

# A holder: a registered shell that lives until the case writes $T_TMP/end.
mkfifo "$T_TMP/end"
hold() # CONTID: its process in $HELD
{
	sh -c "read x <'$T_TMP/end'" &
	HELD=$!
	started $HELD
	cn set $HELD "$1" >/dev/null || fail "cannot register container $1"
}

# --- load and show ----------------------------------------------------------------------------
hold 1200
expect_eq "$(cn policy show 1200)" "# container 1200 holds no access policy of its own" \
	"a container given none"
expect_eq "$(cn policy show 1200 --effective)" \
	"# no container in 1200's chain holds an access policy: nothing is refused by one" \
	"the effective policy of a chain holding none"
cn policy load 1200 "$T_TMP/parent.policy" || fail "policy load failed"
expect_eq "$(cn policy show 1200)" "# container 1200: mode enforce, its own, loaded by the host's administrator
$PARENT_SAYS
$PARENT_TEXT" "the policy shown, canonical"
cn --json policy show 1200 | jq -e --arg text "$PARENT_TEXT
" '.contid == "1200" and .effective == false and .policy == $text and .refused == ""
	and (.levels | length) == 1 and .levels[0].contid == "1200" and .levels[0].mode == "enforce"
	and .levels[0].loaded_by == 0 and .levels[0].loaded > 0' >/dev/null ||
	fail "policy show --json: $(cn --json policy show 1200)"
[ "$(stat -c %a "$A/1200.policy")" = 600 ] || fail "the stored policy's mode"
# What is shown loads as a policy again, comments and all.
cn policy show 1200 >"$T_TMP/shown.policy"
hold 1203
cn policy load 1203 "$T_TMP/shown.policy" --complain || fail "loading a shown policy failed"
expect_eq "$(cn policy show 1203)" "# container 1203: mode complain, its own, loaded by the host's administrator
$PARENT_SAYS
$PARENT_TEXT" "a shown policy loaded elsewhere, in complain mode"

cn --json policy load 1203 "$T_TMP/shown.policy" --complain |
	jq -e '.contid == "1203" and .mode == "complain" and .rules == 3' >/dev/null ||
	fail "policy load --json: $(cn --json policy load 1203 "$T_TMP/shown.policy" --complain)"

# --- refusals: the exact message, the exit status, and nothing changed ------------------------
# refused WHAT EXIT MESSAGE CMD...: CMD exits EXIT with exactly MESSAGE on stderr, and container
# 1200's policy and mode are as they were.
refused()
{
	rf_what=$1 rf_exit=$2 rf_message=$3
	shift 3
	rf_before=$(cn policy show 1200)
	rf_out=$("$@" 2>&1)
	rf_status=$?
	expect_eq "$rf_status" "$rf_exit" "$rf_what: the exit status (output: $rf_out)"
	expect_eq "$rf_out" "$rf_message" "$rf_what"
	expect_eq "$(cn policy show 1200)" "$rf_before" "$rf_what: the policy after it"
}
printf 'fs handle execute\nfs allow write beneath /\n' >"$T_TMP/unhandled.policy"
refused "a right the policy does not handle" 1 \
	"canister: $T_TMP/unhandled.policy:2: fs allow names a right this policy does not handle (add \"fs handle write\" before it)" \
	cn policy load 1200 "$T_TMP/unhandled.policy"
printf 'capability drop CAP_NET_RAWX\n' >"$T_TMP/cap.policy"
refused "an unknown capability" 1 \
	"canister: $T_TMP/cap.policy:1: unknown capability \"CAP_NET_RAWX\" (capabilities(7) names them)" \
	cn policy load 1200 "$T_TMP/cap.policy"
awk 'BEGIN { print "net handle bind"; for (i = 1; i <= 1025; i++) print "net allow bind " 2 * i }' \
	>"$T_TMP/many.policy"
refused "a policy of 1025 rules" 1 "canister: $T_TMP/many.policy:1026: more than 1024 rules" \
	cn policy load 1200 "$T_TMP/many.policy"
expect_eq "$(cn --json policy load 1200 "$T_TMP/many.policy" 2>/dev/null | jq -r .errno)" E2BIG \
	"the errno of a policy over the limit"
ln -s "$T_TMP/child.policy" "$T_TMP/link.policy"
refused "a symlinked policy file" 1 \
	"canister: $T_TMP/link.policy: refused: a symlink (name the policy file itself)" \
	cn policy load 1200 "$T_TMP/link.policy"
cp "$T_TMP/child.policy" "$T_TMP/open.policy"
chmod 0666 "$T_TMP/open.policy"
refused "a world-writable policy file" 1 \
	"canister: $T_TMP/open.policy: refused: must be owned by uid 0 and not writable by group or others (owner 0, mode 0666)" \
	cn policy load 1200 "$T_TMP/open.policy"
refused "a missing policy file" 1 "canister: $T_TMP/none.policy: no such file" \
	cn policy load 1200 "$T_TMP/none.policy"
refused "a container that does not exist" 1 "canister: no container 1299" \
	cn policy load 1299 "$T_TMP/child.policy"
expect_eq "$(cn --json policy show 1299 2>/dev/null | jq -r .errno)" ESRCH \
	"the errno of a container that does not exist"
expect_eq "$(cn --json policy load 1200 "$T_TMP/cap.policy" 2>/dev/null | jq -r .errno)" EINVAL \
	"the errno of a policy that does not parse"
refused "no file named" 2 \
	"canister: missing arguments; usage: canister policy load N FILE [--complain]" \
	cn policy load 1200
refused "a mode word that is not a flag" 2 \
	"canister: unknown option '--enforce'; usage: canister policy show N [--effective] [--json]" \
	cn policy show 1200 --enforce
# Root without CAP_AUDIT_CONTROL is not the host's administrator, nor the owner.
refused "a caller that is not the host's administrator" 1 \
	"canister: only the host's audit administrator or the orchestrator that registered container 1200 may load its access policy" \
	setpriv --inh-caps=-audit_control --bounding-set=-audit_control \
	"$CANISTER" --socket "$T_SOCK" policy load 1200 "$T_TMP/child.policy"
refused "a caller that is not the host's administrator, show" 1 \
	"canister: only the host's audit administrator or the orchestrator that registered container 1200 may read its access policy" \
	setpriv --inh-caps=-audit_control --bounding-set=-audit_control \
	"$CANISTER" --socket "$T_SOCK" policy show 1200
# ... nor is root inside the container itself, nor inside another one.
refused "a process in the container itself" 1 \
	"canister: a process in container 1200 (or in one nested in it) may not load its access policy: only the host's audit administrator or the orchestrator that registered it may" \
	cn run --id 1200 -- "$CANISTER" --socket "$T_SOCK" policy load 1200 "$T_TMP/child.policy"
refused "a process in another container" 1 \
	"canister: a process in container 1202 may not read container 1200's access policy: only the host's audit administrator or the orchestrator that registered it may" \
	cn run --id 1202 -- "$CANISTER" --socket "$T_SOCK" policy show 1200
# ... and for a caller who is neither, a container that does not exist is not told apart.
refused "a container that does not exist, asked by one who may not" 1 \
	"canister: only the host's audit administrator or the orchestrator that registered container 1299 may read its access policy" \
	setpriv --inh-caps=-audit_control --bounding-set=-audit_control \
	"$CANISTER" --socket "$T_SOCK" policy show 1299

# --- nesting: an orchestrator in 1200 registers 1201 and loads a policy that tries to widen ----
cat >"$T_TMP/orchestrator.sh" <<SCRIPT
cn() { "$CANISTER" --socket "$T_SOCK" "\$@"; }
echo \$\$ >"$T_TMP/orchestrator.pid"
sh "$T_AWAIT" "$T_TMP/go" || exit 1
cn run --id 1201 -- sh -c '
	"$CANISTER" --socket "$T_SOCK" policy load 1201 "$T_TMP/parent.policy" >"$T_TMP/own.tmp" 2>&1
	echo "status \$?" >>"$T_TMP/own.tmp"
	mv "$T_TMP/own.tmp" "$T_TMP/own.out"
	read x <"$T_TMP/end"' &
sh "$T_AWAIT" -s "$T_TMP/own.out" || exit 1
cn policy load 1201 "$T_TMP/child.policy" --complain >"$T_TMP/orchestrator.tmp" 2>&1
echo "status \$?" >>"$T_TMP/orchestrator.tmp"
mv "$T_TMP/orchestrator.tmp" "$T_TMP/orchestrator.out"
read x <"$T_TMP/end"
SCRIPT
cn run --id 1200 -- sh "$T_TMP/orchestrator.sh" &
started $!
wait_for_file "$T_TMP/orchestrator.pid"
DELEGATION=$(cn --json delegate "$(cat "$T_TMP/orchestrator.pid")" | jq -r .delegation)
touch "$T_TMP/go"
wait_for_file "$T_TMP/orchestrator.out"
# The workload of 1201 inherited its orchestrator's delegation: still not its own policy's owner.
expect_eq "$(cat "$T_TMP/own.out")" "canister: a process in container 1201 (or in one nested in it) may not load its access policy: only the host's audit administrator or the orchestrator that registered it may
status 1" "a nested container's workload loading its own policy"
expect_eq "$(cat "$T_TMP/orchestrator.out")" "status 0" "the owner loading the nested container's"
expect_eq "$(cn policy show 1201)" "# container 1201: mode complain, its own, loaded by delegation $DELEGATION
$CHILD_SAYS
$CHILD_TEXT" "the nested container's own policy, as loaded"
EFFECTIVE_SHOWN="# container 1201's effective policy: every level's below, intersected
# container 1201: mode complain, its own, loaded by delegation $DELEGATION
# container 1200: mode enforce, its own, loaded by the host's administrator
$EFFECTIVE_SAYS
$EFFECTIVE_TEXT"
expect_eq "$(cn policy show 1201 --effective)" "$EFFECTIVE_SHOWN" \
	"the effective policy: narrowed by the parent's, never widened"
cn --json policy show 1201 --effective | jq -e '.effective and ([.levels[].contid] == ["1201", "1200"])
	and ([.levels[].mode] == ["complain", "enforce"])' >/dev/null ||
	fail "policy show --effective --json: $(cn --json policy show 1201 --effective)"
expect_eq "$(cn policy show 1200 --effective | grep -v "^#")" "$PARENT_TEXT" \
	"a top-level container's effective policy is its own"

# --- the status: how many hold one, by mode; what enforces each right --------------------------
cn --json status | jq -e '.access.on and .access.containers == 3 and .access.enforce == 1
	and .access.complain == 2 and .access.refused == 0 and (.access.rights | length) == 15
	and ([.access.rights[] | select(.right | test("^fs (execute|read|write)$")) | .canisterd]
		== [range(3) | "not enforced: the file gate is off (integrity = off in canister.conf)"])
	and ([.access.rights[] | select(.right | test("^fs (create|remove)$")) | .canisterd]
		== [range(2) | "not enforced, not recorded: the file gate is off (integrity = off in canister.conf)"])
	and all(.access.rights[] | select(.right | test("^net "));
		.canisterd == "recorded only (trace mode: no BPF LSM; syscall tracepoints)")
	and (.access.rights[] | select(.right == "capability bound") | .canisterd)
		== "not enforced, not recorded (trace mode: no BPF LSM)"
	and all(.access.rights[] | select(.right | test("^scope "));
		.canisterd == "not enforced, not recorded: held only")
	and (.access.rights[] | select(.right == "capability bound") | .canister_run)
		== "the capability bounding set, inherited, only shrinks"' >/dev/null ||
	fail "the access section of status --json: $(cn --json status | jq .access)"
status_text=$(cn status)
expect_match "$status_text" "^access: 3 containers hold a policy \(1 enforce, 2 complain\); Landlock ABI [0-9]+$" \
	"the access line of status"
expect_match "$status_text" "^  fs execute: canisterd: not enforced: the file gate is off \(integrity = off in canister.conf\); canister run --policy: Landlock ABI [0-9]+$" \
	"what enforces fs execute"

# --- a restart reloads; a damaged file is refused loudly; a dropped container's goes ----------
before_1200=$(cn policy show 1200)
before_1201=$(cn policy show 1201 --effective)
hold 1204
holder_1204=$HELD
cn policy load 1204 "$T_TMP/child.policy" || fail "policy load 1204 failed"
stop_daemon
sed -i 's/^mode = enforce$/mode = strict/' "$A/1204.policy"
start_daemon
expect_eq "$(cn policy show 1200)" "$before_1200" "1200's policy after a restart"
expect_eq "$(cn policy show 1201 --effective)" "$before_1201" "1201's effective policy after a restart"
grep -q "access: container 1204's stored policy is refused, it holds none: 1204.policy:2: mode 'strict': enforce or complain" "$T_LOG" ||
	fail "no error for a damaged stored policy: $(grep 'access:' "$T_LOG")"
out=$(cn policy show 1204 2>"$T_TMP/warn") || fail "policy show of a refused policy failed"
expect_eq "$out" "# container 1204 holds no access policy of its own" "a refused policy is not held"
expect_eq "$(cat "$T_TMP/warn")" "canister: warning: container 1204's stored policy was refused at start: 1204.policy:2: mode 'strict': enforce or complain" \
	"policy show's warning"
[ -e "$A/1204.policy.refused" ] || fail "the refused file was not set aside"
expect_match "$(cn status)" "^warning: access: the stored policies of 1 containers were refused at start" \
	"the status warning"
# Loading again mends it.
cn policy load 1204 "$T_TMP/parent.policy" || fail "loading over a refused policy failed"
expect_eq "$(cn --json policy show 1204 | jq -r .refused)" "" "no refusal once loaded again"
# A container dropped takes its policy with it (the sweep runs each second).
kill "$holder_1204"
wait "$holder_1204" 2>/dev/null
policy_gone() { [ ! -e "$A/1204.policy" ] && [ ! -e "$A/1204.policy.refused" ]; }
wait_until 30 "container 1204's policy file removed" policy_gone
expect_eq "$(cn policy show 1204 2>&1)" "canister: no container 1204" "a dropped container's policy"
grep -q "access: container 1204 was dropped: its policy goes" "$T_LOG" || fail "no log of the drop"

# --- canister run --policy: held before the workload's first instruction ----------------------
# The workload's first exec reads what canisterd stored for its container.
out=$(cn run --id 1205 --policy "$T_TMP/parent.policy" -- sed -n '/^policy:$/,$p' "$A/1205.policy") ||
	fail "run --policy failed: $out"
expect_eq "$out" "policy:
$PARENT_TEXT" "the policy canisterd held when the workload started"
# (The parent's policy: the child's allows execution beneath /srv and /tmp alone, not of sh.)
cn run --id 1206 --policy "$T_TMP/parent.policy" -- sh -c "read x <'$T_TMP/end'" &
started $!
run_holds() { cn policy show 1206 2>/dev/null | grep -q '^# container 1206: mode enforce'; }
wait_until 30 "container 1206's policy held" run_holds
expect_eq "$(cn policy show 1206 | grep -v "^#")" "$PARENT_TEXT" "the policy canister run registered"
# A policy refused registers nothing.
out=$(cn run --id 1207 --policy "$T_TMP/unhandled.policy" -- true 2>&1)
expect_eq "$?" 125 "run --policy with a refused policy"
expect_eq "$(cn policy show 1207 2>&1)" "canister: no container 1207" "nothing registered for it"

# --- runc: the hook loads the policy its annotation names ------------------------------------
make_busybox_bundle "$BUNDLE" || fail "cannot make the busybox bundle"
bundle_annotate "$BUNDLE" org.canister.contid 1208 || fail "cannot annotate the bundle"
bundle_annotate "$BUNDLE" org.canister.policy "$T_TMP/parent.policy" || fail "annotation"
bundle_add_hook "$BUNDLE" createRuntime "$CANISTER_HOOK" --socket "$T_SOCK" createRuntime ||
	fail "cannot add the hook"
rn create -b "$BUNDLE" "$CID" </dev/null >"$T_TMP/runc.log" 2>&1 ||
	fail "runc create failed: $(cat "$T_TMP/runc.log")"
expect_eq "$(cn policy show 1208)" "# container 1208: mode enforce, its own, loaded by the host's administrator
$PARENT_SAYS
$PARENT_TEXT" "the policy the annotation named"
rn delete -f "$CID" >/dev/null 2>&1
runc_gone() { [ ! -e "$A/1208.policy" ]; }
wait_until 30 "the runc container's policy removed" runc_gone
# ... and an annotation naming a policy that does not parse: the hook refuses, runc does not start.
bundle_annotate "$BUNDLE" org.canister.contid 1209 || fail "annotation"
bundle_annotate "$BUNDLE" org.canister.policy "$T_TMP/unhandled.policy" || fail "annotation"
rn create -b "$BUNDLE" "$CID" </dev/null >"$T_TMP/runc.log" 2>&1 && fail "runc created with a bad policy"
grep -q "canister-oci-hook: the org.canister.policy annotation: $T_TMP/unhandled.policy:2: fs allow names a right this policy does not handle" "$T_TMP/runc.log" ||
	fail "the hook's refusal: $(cat "$T_TMP/runc.log")"
rn delete -f "$CID" >/dev/null 2>&1
expect_eq "$(cn policy show 1209 2>&1)" "canister: no container 1209" "nothing registered by the refused hook"

# The holders read the fifo: one write ends them all (each sees its end).
echo end >"$T_TMP/end"
stop_daemon
