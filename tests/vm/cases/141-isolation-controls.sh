# SPDX-License-Identifier: GPL-2.0-only
# canister: lsm mode: what ends, starves or changes another container's process or file without a signal or an open for writing is refused as those are: prlimit, setpriority, ioprio_set, sched_setaffinity, sched_setparam, migrate_pages and a write to /proc/PID/oom_score_adj of another container's process or a host process (its own: allowed), and truncate(2), an open(O_RDONLY|O_TRUNC), chmod, chown, setxattr, removexattr and FS_IOC_SETFLAGS (a 64-bit ioctl, and a 32-bit one through int $0x80, which Debian's 6.1 passes to file_ioctl_compat) through a read-only descriptor on another container's file; each refusal a CONTAINER_ACCESS record; host-admin allows them. Before, each of them went through.
# shellcheck source=tests/lib/harness.sh
. "${T_LIB:-$(dirname "$0")/../../lib}/harness.sh"
# shellcheck source=tests/lib/access.sh
. "${T_LIB:-$(dirname "$0")/../../lib}/access.sh"

HOST_PID=
# shellcheck disable=SC2317 # called from the EXIT trap
stop_targets()
{
	[ -z "$HOST_PID" ] || kill "$HOST_PID" 2>/dev/null
	touch "$T_TMP/done"
	kill_started
}
trap 'stop_targets; t_cleanup' EXIT

start_daemon
S=$T_TMP/shared
mkdir -p "$S"
# A (1410) and B (1411) live to the end: grants go with their containers.
for id in 1410 1411; do
	cn run --id $id -- sh -c "echo \$\$ >'$T_TMP/$id.pid'; exec sh '$T_AWAIT' '$T_TMP/done' 600" &
	started $!
	wait_for_file "$T_TMP/$id.pid"
done
sh "$T_AWAIT" "$T_TMP/done" 600 &
HOST_PID=$!
B=$(cat "$T_TMP/1411.pid")
# B's files: one for each change, so that an allowed one cannot hide a refusal after it.
cn run --id 1411 -- sh -c "for f in trunc rdtrunc mode owner xset xdel flags flags32; do echo b >'$S'/b-\$f; done
	file-attr setxattr '$S/b-xdel'" || fail "B making its files"

# call CALL PID: a shell command making CALL on PID with pid-call, failing with its error.
call()
{
	printf '%s' "r=\$(pid-call $1 $2); [ \"\$r\" = ok ] || { echo \"\$r\" >&2; false; }"
}
# controls ID PID: what container ID's root gets for each control of PID, the last a write of
# PID's oom_score_adj (its own value: nothing changes when allowed).
controls()
{
	fs_try "$1" "$(call prlimit "$2")" "$(call setpriority "$2")" "$(call ioprio_set "$2")" \
		"$(call sched_setaffinity "$2")" "$(call sched_setparam "$2")" \
		"$(call migrate_pages "$2")" \
		"v=\$(cat /proc/$2/oom_score_adj) && echo \$v >/proc/$2/oom_score_adj" |
		sed 's/Operation not permitted/refused/g' | tr ';' ' '
}
REFUSED="refused refused refused refused refused refused refused "
ALLOWED="ok ok ok ok ok ok ok "
expect_eq "$(controls 1410 "$B")" "$REFUSED" \
	"A's root: prlimit, setpriority, ioprio_set, sched_setaffinity, sched_setparam, migrate_pages, oom_score_adj on B's process"
expect_eq "$(controls 1410 "$HOST_PID")" "$REFUSED" "A's root: the same on a host process"
expect_eq "$(controls 1411 "$B")" "$ALLOWED" "B's root: the same on its own process"
expect_record "op=rlimit contid=1410 by=1410 pid=[0-9]+ target=\"pid:$B,uid:0,contid:1411\" right=signal cause=cross-container mode=enforce res=0" \
	"the record of a refused prlimit"
expect_record "op=proc-write contid=1410 by=1410 pid=[0-9]+ target=\"pid:$HOST_PID,uid:0,host\" right=signal cause=cross-container mode=enforce res=0" \
	"the record of a refused /proc/PID write to a host process"

# try ID COMMAND...: what container ID's root gets for each shell command.
try()
{
	fs_try "$@" | sed 's/Operation not permitted/refused/g' | tr ';' ' '
}
expect_eq "$(try 1410 "file-attr truncate '$S/b-trunc'" "file-attr rdtrunc '$S/b-rdtrunc'" \
	"chmod 600 '$S/b-mode'" "chown 1000 '$S/b-owner'" \
	"file-attr setxattr '$S/b-xset'" "file-attr removexattr '$S/b-xdel'" \
	"file-attr setflags '$S/b-flags'" "file-attr setflags32 '$S/b-flags32'" \
	"cat '$S/b-trunc' >/dev/null")" \
	"refused refused refused refused refused refused refused refused ok " \
	"A's root: truncate(2), open(O_RDONLY|O_TRUNC), chmod, chown, setxattr, removexattr, inode flags (64- and 32-bit ioctl) of B's files; reading one"
expect_eq "$(cat "$S/b-trunc" "$S/b-rdtrunc")" "b
b" "B's files after A's truncates"
expect_eq "$(stat -c '%a %u' "$S/b-mode" "$S/b-owner" | tr '\n' ' ')" "644 0 644 0 " \
	"B's files' mode and owner after A's chmod and chown"
expect_eq "$(try 1411 "file-attr truncate '$S/b-trunc'" "chmod 600 '$S/b-mode'" \
	"file-attr setflags32 '$S/b-flags32'")" "ok ok ok " "B changing its own files"
expect_record "op=attributes contid=1410 by=1410 pid=[0-9]+ target=\"b-owner\" right=write cause=cross-container mode=enforce res=0" \
	"the record of a refused chown"

cn grant 1410 host-admin || fail "grant host-admin"
expect_eq "$(controls 1410 "$B")" "$ALLOWED" "A with host-admin: the controls on B's process"
expect_eq "$(try 1410 "chown 1000 '$S/b-owner'" "file-attr setxattr '$S/b-xset'" \
	"file-attr removexattr '$S/b-xdel'")" "ok ok ok " \
	"A with host-admin: chown, setxattr, removexattr of B's files"
stop_daemon
