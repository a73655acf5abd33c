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
