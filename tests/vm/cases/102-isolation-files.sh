# SPDX-License-Identifier: GPL-2.0-only
# canister: lsm mode: in a directory every container shares, a labelled process writes and removes only files its own container or the host created; another container's file is refused (write, truncate, unlink, rename over it) until its container holds host-admin or a credential for the file's owner; refusals are CONTAINER_ACCESS records; a restart forgets no creator.
# shellcheck source=tests/lib/harness.sh
. "${T_LIB:-$(dirname "$0")/../../lib}/harness.sh"

start_daemon
S=$T_TMP/shared
mkdir -p "$S"
# Made by B (1021): a file of root's, a file of uid 1000's, a directory; by the host: one file.
cn run --id 1021 -- sh -c "echo b >'$S/b-root'; mkdir '$S/b-dir'; echo b >'$S/b-user'
	chown 1000 '$S/b-user'" || fail "B making its files"
echo host >"$S/host-file"

# try ID WHAT...: what container ID's root gets for one shell command: ok or refused.
try()
{
	try_id=$1
	shift
	cn run --id "$try_id" -- sh -c "$* 2>/dev/null && echo ok || echo refused"
}
expect_eq "$(try 1020 "echo a >>'$S/b-root'")" refused "A appending to B's file"
expect_eq "$(try 1020 ": >'$S/b-root'")" refused "A truncating B's file"
expect_eq "$(try 1020 "rm -f '$S/b-root'")" refused "A removing B's file"
expect_eq "$(try 1020 "rmdir '$S/b-dir'")" refused "A removing B's directory"
expect_eq "$(try 1020 "echo a >'$S/a-file' && mv -f '$S/a-file' '$S/b-root'")" refused \
	"A renaming its file over B's"
expect_eq "$(try 1020 "mv '$S/b-root' '$S/moved'")" refused "A moving B's file away"
expect_eq "$(cat "$S/b-root")" b "B's file after A's attempts"
expect_eq "$(try 1020 "cat '$S/b-root' >/dev/null")" ok "A reading B's file"
expect_eq "$(try 1020 "echo a >>'$S/host-file'")" ok "A writing a file the host created"
expect_eq "$(try 1020 "echo a >>'$S/a-file'")" ok "A writing its own file"
expect_eq "$(try 1021 "echo b >>'$S/b-root'")" ok "B writing its own file"
expect_eq "$(try 1021 "echo b >>'$S/a-file'")" refused "B writing A's file"
echo host >>"$S/b-root" || fail "the host writing B's file"
expect_record "type=CONTAINER_ACCESS msg=audit\([0-9.:]+\): op=write contid=1020 by=1020 pid=[0-9]+ target=\"b-root\" right=write cause=cross-container mode=enforce res=0" \
	"the record of a refused write"
expect_record "op=remove contid=1020 by=1020 pid=[0-9]+ target=\"b-root\" right=remove cause=cross-container mode=enforce res=0" \
	"the record of a refused removal"

# A credential for B's uid 1000: B's file of uid 1000's, not B's root's.
cn grant 1020 --as 1021:1000 || fail "grant a credential"
expect_eq "$(try 1020 "echo a >>'$S/b-user'")" ok "A with --as 1021:1000 writing B's uid-1000 file"
expect_eq "$(try 1020 "echo a >>'$S/b-root'")" refused "A with --as 1021:1000 writing B's root file"
cn revoke 1020 --as 1021:1000 || fail "revoke"
expect_eq "$(try 1020 "echo a >>'$S/b-user'")" refused "A writing B's uid-1000 file after the revoke"

# A restart: the creators are pinned.
stop_daemon
start_daemon
expect_eq "$(try 1020 "echo a >>'$S/b-root'")" refused "A writing B's file after a restart"
cn grant 1020 host-admin || fail "grant host-admin"
expect_eq "$(try 1020 "echo a >>'$S/b-root'")" ok "A with host-admin writing B's file"
expect_eq "$(try 1020 "rm '$S/b-root'")" ok "A with host-admin removing B's file"
expect_eq "$(try 1020 "rmdir '$S/b-dir'")" ok "A with host-admin removing B's directory"
stop_daemon
