# SPDX-License-Identifier: GPL-2.0-only
# canister: canister.conf's access_policy (trace mode, fanotify gate): with examples/policies/no-exec-tmp.policy as the default, a container that brings no policy is refused an exec beneath /tmp (EPERM, a CONTAINER_ACCESS record by its own contid) and runs elsewhere, and `policy show` says its policy is canister.conf's default; a container with its own policy is judged by its own (it runs beneath /tmp); a nested container that brings none is judged by the default and by its parent's own policy (`--effective` lists both); the status names the default; access_policy_mode = complain lets the exec through and records it; a default file that does not parse stops canisterd's start with access_policy: FILE:LINE: reason, and nothing changes: the stored policy stays, not set aside, and holds again at the next start.
. "$(dirname "$0")/../lib/harness.sh"
. "$(dirname "$0")/../lib/integrity.sh"
. "$(dirname "$0")/../lib/access.sh"

command -v jq >/dev/null || fail "jq is missing"
integrity_setup "measure func=BPRM_CHECK
"
trap 'integrity_cleanup "$FS"' EXIT
case $FS in /tmp/*) ;; *) fail "the case's files are not beneath /tmp ($FS)" ;; esac

mkdir -p "$FS/bin"
cp /bin/true "$FS/bin/prog"
cp /bin/true "$FS/bin/marker"
DEFAULT=$T_TMP/default.policy
cp "$(dirname "$0")/../../examples/policies/no-exec-tmp.policy" "$DEFAULT"
printf 'fs handle execute\nfs allow execute beneath /\n' >"$T_TMP/all-exec.policy"
chmod 0644 "$T_TMP"/*.policy
echo "access_policy = $DEFAULT" >>"$T_CONF"

start_daemon
cn status | grep -qx "  default policy: $DEFAULT, mode enforce (containers that bring none)" ||
	fail "the status's default policy line: $(cn status | grep 'default policy')"
expect_eq "$(cn status --json | jq -r '.access.default_policy + " " + .access.default_mode')" \
	"$DEFAULT enforce" "the status's default policy (json)"
expect_eq "$(cn status --json | jq -r .access.containers)" 0 "containers holding a policy of their own"

# --- a container that brings none: the default judges it ----------------------------------------
hold 1240
st=0
out=$(cn run --id 1240 -- "$FS/bin/prog" 2>&1) || st=$?
expect_eq "$out" "canister: cannot run $FS/bin/prog: Operation not permitted" "1240's exec beneath /tmp"
expect_eq "$st" 126 "the exit status of 1240's refused exec"
expect_record "$(access_record exec 1240 1240 "$FS/bin/prog" execute enforce)" "the record of 1240's refused exec"
expect_eq "$(cn run --id 1240 -- /bin/echo elsewhere 2>&1)" elsewhere "1240's exec outside /tmp"
"$FS/bin/prog" || fail "the host could not run $FS/bin/prog"
out=$(cn policy show 1240)
expect_match "$out" "^# container 1240: mode enforce, brought none: canister.conf's default \(access_policy = $DEFAULT\)\$" \
	"policy show 1240 names the default"
expect_match "$out" "^fs deny execute beneath /tmp\$" "policy show 1240 prints the default's rules"
expect_eq "$(cn policy show 1240 --json | jq -r '[.levels[0].from_default, .default_path] | join(" ")')" \
	"true $DEFAULT" "policy show 1240 --json"

# The README's table says what this status and policy show print, right by right (trace mode,
# the file gate running).
readme_trace=$(awk -v header='| right | trace mode: canisterd | lsm mode: canisterd | `canister run --policy` workload |' '
	$0 == header { table = 1; next }
	table && /^\|---/ { next }
	table && !/^\|/ { exit }
	table { split(substr($0, 3, length($0) - 4), cell, " \\| "); print cell[1] ": canisterd: " cell[2] }' \
	"$(dirname "$0")/../../README.md")
[ "$(echo "$readme_trace" | wc -l)" -ge 14 ] || fail "the README's access table: $readme_trace"
expect_eq "$(cn status --json | jq -r '.access.rights[] | .right + ": canisterd: " + .canisterd')" \
	"$readme_trace" "the status's rights against the README's table"
cn policy show 1240 | sed -n 's/^# \([a-z]* [a-z]*\): canisterd: /\1: canisterd: /p' >"$T_TMP/show-rights"
[ -s "$T_TMP/show-rights" ] || fail "policy show 1240 says nothing of its rights"
while read -r show_line; do
	printf '%s\n' "$readme_trace" | grep -qxF -- "$show_line" ||
		fail "policy show 1240's '$show_line' is not in the README's table"
done <"$T_TMP/show-rights"

# --- a container with its own policy: judged by its own ---------------------------------------
hold 1241
cn policy load 1241 "$T_TMP/all-exec.policy" || fail "policy load 1241"
cn run --id 1241 -- "$FS/bin/prog" || fail "1241, whose own policy allows execution beneath /, could not run $FS/bin/prog"
expect_match "$(cn policy show 1241)" "^# container 1241: mode enforce, its own, loaded by the host's administrator\$" \
	"policy show 1241 says it is its own"
expect_eq "$(cn policy show 1241 --json | jq -r '.levels[0].from_default')" false "policy show 1241 --json"
expect_eq "$(cn status --json | jq -r .access.containers)" 1 "containers holding a policy of their own"

# --- nested: a child that brings none is judged by the default and by its parent's own ---------
cat >"$T_TMP/orchestrator.sh" <<SCRIPT
echo \$\$ >"$T_TMP/orchestrator.pid"
sh "$T_AWAIT" "$T_TMP/go1" || exit 1
"$CANISTER" --socket "$T_SOCK" run --id 1243 -- sh -c '
	echo \$\$ >"$T_TMP/child.pid"
	sh "$T_AWAIT" "$T_TMP/go2" || exit 1
	"$FS/bin/prog" 2>/dev/null
	echo "status \$?" >"$T_TMP/nested.tmp"
	mv "$T_TMP/nested.tmp" "$T_TMP/nested.out"
	sh "$T_AWAIT" "$T_TMP/go3"'
SCRIPT
cn run --id 1242 -- sh "$T_TMP/orchestrator.sh" &
started $!
wait_for_file "$T_TMP/orchestrator.pid"
cn delegate "$(cat "$T_TMP/orchestrator.pid")" >/dev/null || fail "delegate failed"
cn policy load 1242 "$T_TMP/all-exec.policy" || fail "policy load 1242"
touch "$T_TMP/go1"
wait_for_file "$T_TMP/child.pid"
touch "$T_TMP/go2"
wait_for_file "$T_TMP/nested.out"
expect_match "$(cat "$T_TMP/nested.out")" "^status [1-9]" "the nested container's exec beneath /tmp"
expect_record "$(access_record exec '1243,\^1242' 1243 "$FS/bin/prog" execute enforce)" "the record of the nested exec, by the default"
out=$(cn policy show 1243 --effective)
expect_match "$out" "^# container 1243: mode enforce, brought none: canister.conf's default" "the nested effective policy's own level"
expect_match "$out" "^# container 1242: mode enforce, its own, loaded by the host's administrator\$" "the nested effective policy's parent level"
expect_match "$out" "^fs deny execute beneath /tmp\$" "the nested effective policy's rules"
touch "$T_TMP/go3"

# --- complain: let through and recorded ------------------------------------------------------
kill_started
stop_daemon
echo "access_policy_mode = complain" >>"$T_CONF"
start_daemon
hold 1244
cn run --id 1244 -- "$FS/bin/prog" || fail "1244 could not run $FS/bin/prog under a complaining default"
expect_record "$(access_record exec 1244 1244 "$FS/bin/prog" execute complain)" "the record of 1244's exec in complain"
expect_match "$(cn policy show 1244)" "^# container 1244: mode complain, brought none: canister.conf's default" \
	"policy show 1244 in complain"
# 1241 was dropped with its holder; a live container's own policy survives what follows.
hold 1245
cn policy load 1245 "$T_TMP/all-exec.policy" || fail "policy load 1245"
cp "$T_TMP/access/1245.policy" "$T_TMP/1245.stored"

# --- a default that does not parse: no start, nothing changed --------------------------------
stop_daemon
printf 'fs handle execute\nfs allow execute,run beneath /tmp\n' >"$T_TMP/bad.policy"
chmod 0644 "$T_TMP/bad.policy"
sed -i "s|^access_policy = .*|access_policy = $T_TMP/bad.policy|" "$T_CONF"
st=0
out=$(timeout 120 "$CANISTERD" -f -c "$T_CONF" 2>&1) || st=$?
[ "$st" -ne 0 ] || fail "canisterd started with a default policy that does not parse"
[ "$st" -ne 124 ] || fail "canisterd neither started nor stopped with a bad default policy"
expect_match "$out" "access_policy: $T_TMP/bad.policy:2: " "canisterd's refusal of the bad default"
expect_match "$out" "\"run\"" "the refusal names the bad word"
cmp -s "$T_TMP/access/1245.policy" "$T_TMP/1245.stored" || fail "1245's stored policy changed"
[ ! -e "$T_TMP/access/1245.policy.refused" ] || fail "1245's stored policy was set aside"
sed -i "s|^access_policy = .*|access_policy = $DEFAULT|" "$T_CONF"
start_daemon
cn run --id 1245 -- "$FS/bin/prog" || fail "1245's own policy did not judge it after the refused start"
expect_match "$(cn policy show 1245)" "its own" "1245's policy after the refused start"
exit 0
