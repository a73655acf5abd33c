# SPDX-License-Identifier: GPL-2.0-only
# canister: a root in a container under an enforced behaviour model tries to shed the untrusted
# mark and to change the model through canisterd's socket (issue 15).  The container shares the
# host's filesystem, so the socket and the CLI are in reach.  The process that strays (an open
# outside the model, denied) is untrusted; so are a child it forks into a new session with
# setsid and that child's own child (a double fork), all marked by the kernel at the fork; the
# offender stays untrusted after it executes an allowed program.  (setsid's session leader
# forks the subshell and ends; the subshell and its child live on in the new session.)  Through the socket the
# container's root may read its own model, and is refused a seal of it, a read of another
# container's and a load into another container; nothing of either model changes.
. "$(dirname "$0")/../lib/harness.sh"
. "$(dirname "$0")/../lib/integrity.sh"

integrity_config 'measure func=BPRM_CHECK
' 10000
trap 'integrity_cleanup' EXIT
start_daemon

# One fifo per reader: two cats reading one fifo both see the first writer's close as the end
# (a second writer would then wait for ever), unless one opened it only after.
F="$T_TMP/fifo"
G="$T_TMP/fifo-grandchild"
mkfifo "$F" "$G"
C="$CANISTER --socket $T_SOCK"
WORK="cat /etc/hostname >/dev/null; setsid sh -c 'cat /etc/hostname >/dev/null'; $C model \$CONTID counts >/dev/null"
CONTID=1611 cn run --id 1611 --model learn -- sh -c "CONTID=1611; $WORK" ||
	fail "the learning run failed"
cn model 1611 export "$T_TMP/work.model" || fail "export failed"
cn model load 1612 "$T_TMP/work.model" 2>/dev/null && fail "a load into no container"

# The learned workload, its own model read through the socket, under the enforced model.
cn run --id 1612 --model "$T_TMP/work.model" --model-enforce -- sh -c "CONTID=1612; $WORK" \
	>"$T_TMP/1612.out" 2>&1 || fail "the learned workload under its model: $(cat "$T_TMP/1612.out")"
expect_eq "$(cn model 1612 forensics)" "" "forensics of the learned workload"
state=$(cn model 1612 state)

"$CANISTER" --socket "$T_SOCK" run --id 1613 --model "$T_TMP/work.model" --model-enforce -- sh -c "
CONTID=1613; $WORK
read x </etc/passwd 2>/dev/null || echo strayed
setsid sh -c '( cat $G >/dev/null; echo grandchild-done ) & echo forked'
$C model 1613 seal; echo seal=\$?
$C model 1612 state; echo other=\$?
$C model load 1612 $T_TMP/work.model; echo load=\$?
exec cat $F
" >"$T_TMP/1613.out" 2>&1 &
runner=$!
started $runner
wait_for_line "$T_TMP/1613.out" '^load=' "the attack's requests"
grep -qx strayed "$T_TMP/1613.out" || fail "the open outside the model was not denied"
expect_match "$(cat "$T_TMP/1613.out")" '^seal=1$' "a seal through the socket from inside"
grep -q "only the host's audit administrator or the orchestrator that registered container 1613" \
	"$T_TMP/1613.out" || fail "the seal's refusal: $(cat "$T_TMP/1613.out")"
expect_match "$(cat "$T_TMP/1613.out")" '^other=1$' "a read of another container's model"
expect_match "$(cat "$T_TMP/1613.out")" '^load=1$' "a load into another container"
expect_eq "$(cn model 1613 counts | awk '$1 == "mode" { print $2 }')" enforce "1613's mode"
expect_eq "$(cn model 1612 state)" "$state" "the other container's model"

# The session leader setsid made, its child, and the offender after its exec of cat.
in_session() { pgrep -f "^cat $F\$" >/dev/null && pgrep -f "^cat $G\$" >/dev/null; }
wait_until 30 "the grandchild and the offender's cat" in_session
offender=$(pgrep -P "$runner" -f "^cat $F\$")
grandchild=$(pgrep -f "^cat $G\$")
middle=$(awk '{ print $4 }' "/proc/$grandchild/stat")
started "$offender" "$middle" "$grandchild"
session() { awk '{ print $6 }' "/proc/$1/stat"; }
[ "$(session "$grandchild")" != "$(session "$offender")" ] ||
	fail "the grandchild $grandchild is in the offender's session"
expect_eq "$(session "$middle")" "$(session "$grandchild")" "the middle process's session"
[ "$(readlink "/proc/$offender/exe")" = "$(readlink -f "$(command -v cat)")" ] ||
	fail "the offender $offender does not run cat"
untrusted() { cn model 1613 untrusted | grep -qx "$1"; }
for p in "$offender" "$middle" "$grandchild"; do
	wait_until 30 "process $p untrusted" untrusted "$p"
done
expect_eq "$(cn status --json | jq -r .model.marking)" kernel "who marks children"
echo go >"$G"
echo go >"$F"
wait_for_line "$T_TMP/1613.out" '^grandchild-done$' "the grandchild's end"
exit 0
