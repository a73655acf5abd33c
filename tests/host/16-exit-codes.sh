# SPDX-License-Identifier: GPL-2.0-only
# The conventions a user scripts against: --version and --help on every binary, usage errors exit 2,
# and canister run's statuses (CMD's own, 125, 126, 127), with nothing registered for a CMD that never ran.
. "$(dirname "$0")/../lib/harness.sh"

root=$(cd "$(dirname "$0")/../.." && pwd)
version=$(cat "$root/VERSION")
hook=${CANISTER_HOOK:-$root/build/canister-oci-hook}
audisp=$root/build/canister-audisp

# status_of CMD...: runs CMD with its output thrown away and prints its exit status.
status_of()
{
	"$@" >/dev/null 2>&1 </dev/null
	echo $?
}

# --- every binary: --version (from VERSION), --help, and 2 for a command line it cannot read.
expect_eq "$("$CANISTER" --version)" "canister $version" "canister --version"
expect_eq "$("$CANISTERD" --version)" "canisterd $version" "canisterd --version"
expect_eq "$("$hook" --version)" "canister-oci-hook $version" "canister-oci-hook --version"
expect_eq "$("$audisp" --version)" "canister-audisp $version" "canister-audisp --version"
for bin in "$CANISTER" "$CANISTERD" "$hook" "$audisp"; do
	expect_match "$("$bin" --help)" "^usage: " "$bin --help"
	expect_eq "$(status_of "$bin" --no-such-option)" 2 "$bin --no-such-option"
done
expect_eq "$(status_of "$CANISTERD" -c)" 2 "canisterd -c without a file"
expect_eq "$(status_of "$CANISTERD" surplus)" 2 "canisterd with an argument"
expect_eq "$(status_of "$hook" notastage)" 2 "the hook with an unknown stage"
expect_eq "$(status_of "$audisp" /a /b)" 2 "the auditd relay with two sockets"
expect_eq "$(status_of "$CANISTER")" 2 "canister without a command"
expect_eq "$(status_of "$CANISTER" nosuchcommand)" 2 "an unknown command"
expect_eq "$(status_of "$CANISTER" get notapid)" 2 "get with a bad pid"
expect_eq "$(status_of "$CANISTER" get)" 2 "get without a pid"
expect_eq "$(status_of "$CANISTER" set 1 -1)" 2 "set with a bad contid"
expect_eq "$(status_of "$CANISTER" ps extra)" 2 "ps with an argument"
expect_eq "$(status_of "$CANISTER" audit frobnicate)" 2 "an unknown audit subcommand"
expect_eq "$(status_of "$CANISTER" audit add 5)" 2 "audit add without --log"
# An error that is not the command line's stays 1: nothing answers on this socket.
expect_eq "$(status_of "$CANISTER" --socket "$T_TMP/none.sock" status)" 1 "status, no daemon"

# --- help: the list, one command's usage, and 2 for a command that does not exist.
expect_match "$("$CANISTER" help)" "canister run \[--id N\]" "canister help lists run"
expect_match "$("$CANISTER" help run)" "^usage: canister run \[--id N\] \[--name NAME\] \[--ima-policy FILE\] \[--integrity-tpm none[|]swtpm\]" "canister help run"
expect_match "$("$CANISTER" help run)" "\[--appraise off[|]log[|]enforce\] \[--ima-host-keys yes[|]no\]\$" "canister help run (its second line)"
expect_match "$("$CANISTER" help run)" "^      \[--policy FILE\] \[--cgroup own[|]none\] -- CMD \[ARG...\]\$" "canister help run (its third line)"
expect_eq "$("$CANISTER" run --help)" "$("$CANISTER" help run)" "canister run --help"
expect_eq "$(status_of "$CANISTER" help nosuchcommand)" 2 "help for an unknown command"

start_daemon

# --- canister run: CMD's status, whatever it is.
for want in 0 1 2 7 126 127; do
	expect_eq "$(status_of cn run -- sh -c "exit $want")" "$want" "CMD exiting $want"
done
expect_eq "$(status_of cn run -- sh -c 'kill -TERM $$')" 143 "CMD killed by SIGTERM"

# --- CMD that never runs: 127 not found, 126 not executable; no container, no record.
printf 'data\n' >"$T_TMP/not-executable"
printf '#!/nonexistent/interpreter\n' >"$T_TMP/lost-interpreter"
chmod 0755 "$T_TMP/lost-interpreter"
mkdir "$T_TMP/a-directory"
before=$(grep -c 'op=set' "$T_AUDIT" 2>/dev/null)
expect_eq "$(status_of cn run --name never-1 -- "$T_TMP/nonexistent")" 127 "a missing CMD"
expect_eq "$(status_of cn run --name never-2 -- no-such-command-on-the-path)" 127 "a CMD not on PATH"
expect_eq "$(status_of cn run --name never-3 -- "$T_TMP/lost-interpreter")" 127 "a script whose interpreter is missing"
expect_eq "$(status_of cn run --name never-4 -- "$T_TMP/not-executable")" 126 "a CMD without x permission"
expect_eq "$(status_of cn run --name never-5 -- "$T_TMP/a-directory")" 126 "a directory as CMD"
err=$(cn run -- "$T_TMP/nonexistent" 2>&1)
expect_eq "$err" "canister: cannot run $T_TMP/nonexistent: No such file or directory" "the not-found message"

# --- canister run's own failures: 125 (a bad command line too: 2 could be CMD's).
expect_eq "$(status_of cn run --no-such-option -- true)" 125 "run with an unknown option"
expect_eq "$(status_of cn run --id notanumber -- true)" 125 "run with a bad --id"
expect_eq "$(status_of cn run --name 'bad name' -- true)" 125 "run with a bad --name"
expect_eq "$(status_of cn run)" 125 "run without CMD"
expect_eq "$(status_of "$CANISTER" --socket "$T_TMP/none.sock" run -- true)" 125 "run with no daemon"

# A marker run proves the records of the attempts above would have been written by now.
cn run --name marker-16 -- true || fail "the marker run failed"
expect_record 'op=set .*name="marker-16" .*res=1' "the marker's registration"
expect_record 'op=drop .*name="marker-16"' "the marker's drop"
after=$(grep -c 'op=set' "$T_AUDIT")
expect_eq "$after" "$((before + 1))" "op=set records: only the marker registered"
no_record 'name="never-' "a container for a CMD that never ran"
expect_eq "$(cn ps --json | jq '.containers | length')" 0 "live containers"
stop_daemon
