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
