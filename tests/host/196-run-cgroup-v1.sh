# SPDX-License-Identifier: GPL-2.0-only
# canister: on a hybrid host, `canister run` gives its container a cgroup of its own in each
# cgroup v1 hierarchy too, not only in v2.  canisterd records no v1 cgroup, and lsm mode lets a
# container write, in a v1 hierarchy, the cgroup its writer is in and those beneath it: left in
# the caller's (a login scope's, a v1 root), its root could limit or freeze the caller's other
# processes through pids.max or freezer.state.  This case moves its shell into a cgroup of its
# own G in every v1 hierarchy mounted here: the workload is in G/canister-run-PID in each, a
# sub-cgroup it makes there is gone after the run with its own; a workload that leaves a process
# behind leaves its v1 cgroups too, which the next run removes once that process has ended; a
# hierarchy this shell is in that no mount here shows refuses the run; of two mounts of one, a
# writable one is used before a read-only one.
# VM 147 shows, in lsm mode, the write to the caller's v1 cgroup that this takes away.
. "$(dirname "$0")/../lib/harness.sh"
. "$(dirname "$0")/../lib/cgroups.sh"

HIER=$(v1_cgroups)
[ -n "$HIER" ] ||
	fail "no cgroup v1 hierarchy is mounted here: this case tests a hybrid host's, as the test machines are"
COUNT=$(printf '%s\n' "$HIER" | wc -l)
NAME=canister-test-196-$$
LEFT=

# The case's shell back where it was in each hierarchy, then G and what is left beneath it.
# shellcheck disable=SC2317 # called from the EXIT trap
cg_cleanup()
{
	[ -z "$LEFT" ] || kill "$LEFT" 2>/dev/null
	kill_started
	v1_cleanup
}
trap 'cg_cleanup; t_cleanup' EXIT

# canisterd stays where it started: only the case's shell (and what it starts) moves into G.
# The first hierarchy's mount: its directory here, less this shell's path in it.
ctl1=$(printf '%s\n' "$HIER" | head -n1 | cut -d' ' -f1)
dir1=$(printf '%s\n' "$HIER" | head -n1 | cut -d' ' -f2-)
rel1=$(sed -n "s|^[0-9]*:$ctl1:||p" /proc/self/cgroup)
mount1=${dir1%"${rel1%/}"}
start_daemon
v1_enter "$NAME"
own1="$mount1\$(sed -n 's|^[0-9]*:$ctl1:||p' /proc/self/cgroup)"

# The workload's cgroups, named in its /proc/self/cgroup, and a sub-cgroup it makes in one.
seen=$(cn run --id 1961 -- sh -c "cat /proc/self/cgroup; mkdir $own1/sub") ||
	fail "canister run failed"
printf '%s\n' "$HIER" | while read -r ctl origin; do
	rel=$(sed -n "s|^[0-9]*:$ctl:||p" /proc/self/cgroup)
	expect_match "$(printf '%s\n' "$seen" | grep "^[0-9]*:$ctl:")" \
		"^[0-9]+:$ctl:${rel%/}/canister-run-[0-9]+\$" "the workload's cgroup of v1 hierarchy $ctl"
	expect_eq "$(find "$origin/$NAME" -mindepth 1 -type d)" "" \
		"cgroups left beneath $origin/$NAME after the run"
done || exit 1

# A workload that leaves a process behind: its cgroups stay with it, its empty sub-cgroup too.
err=$(cn run --id 1962 -- sh -c "mkdir $own1/keep || exit 1
	sleep 1000 </dev/null >/dev/null 2>&1 & echo \$! >$T_TMP/left" 2>&1 >/dev/null) ||
	fail "canister run of a workload that leaves a process: $err"
LEFT=$(cat "$T_TMP/left")
kill -0 "$LEFT" 2>/dev/null || fail "the process the workload left was killed"
# One line for all: the v2 cgroup named (a v1 one where there is no v2), the others counted.
beside=$COUNT
grep -q '^0::' /proc/self/cgroup || beside=$((COUNT - 1))
case $beside in
0) said=" \(" ;;
1) said=", and so do its cgroups in 1 v1 hierarchy" ;;
*) said=", and so do its cgroups in $beside v1 hierarchies" ;;
esac
expect_match "$err" "container 1962 left 1 process in [^ ]*/canister-run-[0-9]+: it stays$said" \
	"what canister run says of the process left"
printf '%s\n' "$HIER" | while read -r ctl origin; do
	kept=$(sed -n "s|^[0-9]*:$ctl:||p" "/proc/$LEFT/cgroup")
	expect_match "$kept" "/$NAME/canister-run-[0-9]+\$" "the v1 $ctl cgroup of the process left"
	echo "$kept" >>"$T_TMP/kept"
done || exit 1
kept1=$(sed -n "s|^[0-9]*:$ctl1:||p" "/proc/$LEFT/cgroup")
[ -d "$mount1$kept1/keep" ] || fail "the empty v1 sub-cgroup of the workload that left a process was removed"
kill "$LEFT"
wait_until "the process left to end" sh -c "! kill -0 $LEFT 2>/dev/null"
LEFT=
# The next run from G removes them, now that they are empty and their run's child is gone.
cn run --id 1963 -- true || fail "canister run after the process left ended"
printf '%s\n' "$HIER" | while read -r ctl origin; do
	expect_eq "$(find "$origin/$NAME" -mindepth 1 -type d)" "" \
		"v1 $ctl cgroups beneath $origin/$NAME after what held them ended and another run started"
done || exit 1

# A hierarchy that this shell is in but no mount here shows (unmounted in a mount namespace of
# the CLI's): the run goes on, the container left in the shell's cgroup there, and says so.
unshare -m --propagation private sh -c 'umount "$0" && exec "$@"' "$mount1" \
	"$CANISTER" --socket "$T_SOCK" run --id 1965 -- touch "$T_TMP/unmounted-ran" \
	2>"$T_TMP/unmounted-err" || fail "canister run with the $ctl1 hierarchy unmounted: $(cat "$T_TMP/unmounted-err")"
[ -e "$T_TMP/unmounted-ran" ] || fail "CMD did not run with the $ctl1 hierarchy unmounted"
expect_match "$(cat "$T_TMP/unmounted-err")" "warning: this process's cgroup [^ ]* of v1 hierarchy $ctl1 is not under a cgroup mount here" \
	"what canister run says with the $ctl1 hierarchy unmounted"
printf '%s\n' "$HIER" | while read -r ctl origin; do
	expect_eq "$(find "$origin/$NAME" -mindepth 1 -type d)" "" \
		"v1 $ctl cgroups beneath $origin/$NAME after the run with $ctl1 unmounted"
done || exit 1

# The hierarchy's first mount read-only, a writable one mounted after it (in a mount namespace of
# the CLI's): the writable one is used.  Before, the first was, and the run was refused (EROFS).
case $ctl1 in name=*) opts=none,$ctl1 ;; *) opts=$ctl1 ;; esac
mkdir "$T_TMP/rw1"
# shellcheck disable=SC2016 # expanded by the inner shell
unshare -m --propagation private sh -c 'm=$1 o=$2 d=$3; shift 3
	mount -o remount,bind,ro "$m" && mount -t cgroup -o "$o" none "$d" && exec "$@"' sh \
	"$mount1" "$opts" "$T_TMP/rw1" "$CANISTER" --socket "$T_SOCK" run --id 1966 -- \
	cat /proc/self/cgroup >"$T_TMP/rw1-seen" 2>"$T_TMP/rw1-err" ||
	fail "canister run with the $ctl1 hierarchy's first mount read-only: $(cat "$T_TMP/rw1-err")"
expect_match "$(grep "^[0-9]*:$ctl1:" "$T_TMP/rw1-seen")" "/$NAME/canister-run-[0-9]+\$" \
	"the workload's $ctl1 cgroup with the first mount read-only"
expect_eq "$(find "$dir1/$NAME" -mindepth 1 -type d)" "" \
	"v1 $ctl1 cgroups beneath $dir1/$NAME after the run with the first mount read-only"

# --cgroup none leaves the workload in this shell's v1 cgroups, and says so.
seen=$(cn run --cgroup none --id 1964 -- cat /proc/self/cgroup 2>"$T_TMP/none-err") ||
	fail "canister run --cgroup none: $(cat "$T_TMP/none-err")"
expect_eq "$(printf '%s\n' "$seen" | grep -v '^0::')" "$(grep -v '^0::' /proc/self/cgroup)" \
	"the v1 cgroups of a workload run with --cgroup none"
[ "$COUNT" -eq 1 ] && said="1 v1 hierarchy" || said="$COUNT v1 hierarchies"
expect_match "$(cat "$T_TMP/none-err")" "warning: --cgroup none: the container shares this shell's cgroups of $said" \
	"canister run's warning"
exit 0
