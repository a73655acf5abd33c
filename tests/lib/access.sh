# SPDX-License-Identifier: GPL-2.0-only
# canister: what the access cases share (sourced after harness.sh).

# access_record OP CONTID BY TARGET RIGHT MODE: the pattern of one CONTAINER_ACCESS record.
access_record()
{
	ar_res=0
	[ "$6" = enforce ] || ar_res=1
	echo "type=CONTAINER_ACCESS msg=audit\([0-9.:]+\): op=$1 contid=$2 by=$3 pid=[0-9]+ exe=\"[^\"]+\" target=\"$4\" right=$5 cause=not-granted mode=$6 (repeats=[0-9]+ )?res=$ar_res\$"
}

# hold CONTID: a holder, a registered shell that lives until it is killed (no child of its
# own to stay outside the container); its pid in $HELD.
mkfifo "$T_TMP/never"
hold()
{
	sh -c "read x <'$T_TMP/never'" &
	HELD=$!
	started $HELD
	cn set $HELD "$1" >/dev/null || fail "cannot register container $1"
}

# fs_try ID COMMAND...: for each shell command, what container ID's root gets: "ok", or the
# last words of its error (strerror's, "Operation not permitted"), each followed by ";"; all
# from one `canister run` (TCG makes each slow).
fs_try()
{
	ft_id=$1
	shift
	ft_script=
	for ft_command in "$@"; do
		ft_script="$ft_script
			if out=\$( ($ft_command) 2>&1); then echo ok; else echo \"\${out##*: }\"; fi"
	done
	cn run --id "$ft_id" -- sh -c "$ft_script" | tr '\n' ';'
}

# hole_policy: $FS/hole, and $T_TMP/cr.policy: create and remove handled, allowed everywhere
# but beneath $FS/hole (the create/remove recording cases: host 147, 152, 169).
hole_policy()
{
	mkdir -p "$FS/hole"
	cat >"$T_TMP/cr.policy" <<POLICY
fs handle create,remove
fs allow create,remove beneath /
fs deny create,remove beneath $FS/hole
POLICY
	chmod 0644 "$T_TMP/cr.policy"
}

# hole_creator CONTID: a second container holding $T_TMP/cr.policy, a shell that makes
# $FS/hole/second once $T_TMP/go2 is written and ends once $T_TMP/go3 is; its pid in $pid2.
hole_creator()
{
	mkfifo "$T_TMP/go2" "$T_TMP/go3"
	sh -c "echo \$\$ >'$T_TMP/pid2'; read x <'$T_TMP/go2'; : >'$FS/hole/second'; read x <'$T_TMP/go3'" &
	started $!
	wait_for_file "$T_TMP/pid2"
	pid2=$(cat "$T_TMP/pid2")
	cn set "$pid2" "$1" >/dev/null || fail "cannot register container $1"
	cn policy load "$1" "$T_TMP/cr.policy" >/dev/null || fail "policy load $1"
}
