# SPDX-License-Identifier: GPL-2.0-only
# canister: lsm mode: in a directory every container shares, a labelled process writes and removes only files its own container or the host created; another container's file is refused (write, truncate, unlink, rmdir, rename over or away) until its container holds host-admin or a credential for the file's owner; refusals are CONTAINER_ACCESS records; a restart forgets no creator.
# shellcheck source=tests/lib/harness.sh
. "${T_LIB:-$(dirname "$0")/../../lib}/harness.sh"
# shellcheck source=tests/lib/access.sh
. "${T_LIB:-$(dirname "$0")/../../lib}/access.sh"

trap 'touch "$T_TMP/done"; kill_started; t_cleanup' EXIT
start_daemon
S=$T_TMP/shared
mkdir -p "$S"
# A (1020) and B (1021) live to the end: grants go with their containers.
for id in 1020 1021; do
	cn run --id $id -- sh -c "echo ready >'$T_TMP/$id.ready'; exec sh '$T_AWAIT' '$T_TMP/done' 600" &
	started $!
	wait_for_file "$T_TMP/$id.ready"
done
# Made by B: a file of root's, a file of uid 1000's, a directory; by the host: one file.
cn run --id 1021 -- sh -c "echo b >'$S/b-root'; mkdir '$S/b-dir'; echo b >'$S/b-user'
	chown 1000 '$S/b-user'" || fail "B making its files"
echo host >"$S/host-file"

# try ID COMMAND...: what container ID's root gets for each shell command, ok or refused
# (EPERM; any other error is named), in one `canister run`.
try()
{
	fs_try "$@" | sed 's/Operation not permitted/refused/g' | tr ';' ' '
}
expect_eq "$(try 1020 "echo a >>'$S/b-root'" "true >'$S/b-root'" "rm -f '$S/b-root'" \
	"rmdir '$S/b-dir'" "echo a >'$S/a-file' && mv -f '$S/a-file' '$S/b-root'" \
	"mv '$S/b-root' '$S/moved'" "cat '$S/b-root' >/dev/null" "echo a >>'$S/host-file'" \
	"echo a >>'$S/a-file'")" "refused refused refused refused refused refused ok ok ok " \
	"A: appending to, truncating, removing B's file, removing B's directory, renaming over and away B's file; reading it; writing the host's file and its own"
expect_eq "$(cat "$S/b-root")" b "B's file after A's attempts"
expect_eq "$(try 1021 "echo b >>'$S/b-root'" "echo b >>'$S/a-file'")" "ok refused " \
	"B writing its own file and A's"
echo host >>"$S/b-root" || fail "the host writing B's file"
expect_record "type=CONTAINER_ACCESS msg=audit\([0-9.:]+\): op=write contid=1020 by=1020 pid=[0-9]+ target=\"$S/b-root\" right=write cause=cross-container mode=enforce res=0" \
	"the record of a refused write"
expect_record "op=remove contid=1020 by=1020 pid=[0-9]+ target=\"b-root\" right=remove cause=cross-container mode=enforce res=0" \
	"the record of a refused removal"

# A credential for B's uid 1000: B's file of uid 1000's, not B's root's.
cn grant 1020 --as 1021:1000 || fail "grant a credential"
expect_eq "$(try 1020 "echo a >>'$S/b-user'" "echo a >>'$S/b-root'")" "ok refused " \
	"A with --as 1021:1000: B's uid-1000 file yes, B's root file no"
cn revoke 1020 --as 1021:1000 || fail "revoke"

# A restart: the creators are pinned.
stop_daemon
start_daemon
cn grant 1020 host-admin || fail "grant host-admin"
expect_eq "$(try 1021 "echo b >>'$S/a-file'")" "refused " "B writing A's file after a restart"
expect_eq "$(try 1020 "echo a >>'$S/b-root'" "rm '$S/b-root'" "rmdir '$S/b-dir'")" "ok ok ok " \
	"A with host-admin writing and removing B's file, removing B's directory"
stop_daemon
