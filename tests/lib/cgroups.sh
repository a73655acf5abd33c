# SPDX-License-Identifier: GPL-2.0-only
# canister: what the cases of `canister run`'s cgroups share (sourced after harness.sh): a
# cgroup tree removed, and on a hybrid host the case's shell in a cgroup of its own in every
# cgroup v1 hierarchy, so that what a run makes or leaves there is the case's to find and remove.
#
# cgroup_tree_remove ORIGIN TOP: every process of cgroup TOP and those beneath it moved to
# cgroup ORIGIN, then TOP's cgroups removed, deepest first (each tried for up to 5 s: an emptied
# cgroup is busy for a moment).  Says on stderr when TOP stays.
cgroup_tree_remove()
{
	[ -d "$2" ] || return 0
	find "$2" -depth -type d | while read -r dir; do
		while read -r pid; do
			echo "$pid" >"$1/cgroup.procs" 2>/dev/null
		done <"$dir/cgroup.procs"
	done
	find "$2" -depth -type d | while read -r dir; do
		for _ in $(seq 100); do
			rmdir "$dir" 2>/dev/null && break
			sleep 0.05
		done
	done
	[ ! -d "$2" ] || echo "$T_NAME: could not remove $2" >&2
}
#
# v1_cgroups: "CONTROLLERS DIRECTORY" for each v1 hierarchy this shell is in, from
# /proc/self/cgroup and the first cgroup mount of mountinfo that shows that hierarchy from its
# root; nothing on a host without v1.
v1_cgroups()
{
	awk 'FNR == NR {
		for (i = 7; i <= NF && $i != "-"; i++) ;
		if ($(i + 1) == "cgroup" && $4 == "/") { n++; point[n] = $5; opts[n] = "," $(i + 3) "," }
		next
	}
	{
		split($0, f, ":")
		if (f[1] == "0") next
		path = substr($0, length(f[1]) + length(f[2]) + 3)
		m = split(f[2], c, ",")
		for (j = 1; j <= n; j++) {
			ok = 1
			for (k = 1; k <= m; k++) if (index(opts[j], "," c[k] ",") == 0) ok = 0
			if (ok) { print f[2], point[j] (path == "/" ? "" : path); break }
		}
	}' /proc/self/mountinfo /proc/self/cgroup
}

# v1_enter NAME: a cgroup NAME beneath this shell's in each v1 hierarchy (a cpuset one given its
# parent's CPUs and memory nodes, which a new one lacks), and the shell moved into it.  Sets
# $V1_CGROUPS (v1_cgroups's lines, from before the move) and $V1_NAME for v1_cleanup.
v1_enter()
{
	V1_NAME=$1
	V1_CGROUPS=$(v1_cgroups)
	[ -n "$V1_CGROUPS" ] || return 0
	printf '%s\n' "$V1_CGROUPS" | while read -r ctl origin; do
		mkdir "$origin/$V1_NAME" || fail "cannot make $origin/$V1_NAME"
		case ",$ctl," in
		*,cpuset,*)
			{ cat "$origin/cpuset.cpus" >"$origin/$V1_NAME/cpuset.cpus" &&
				cat "$origin/cpuset.mems" >"$origin/$V1_NAME/cpuset.mems"; } ||
				fail "cannot give $origin/$V1_NAME its parent's CPUs and memory nodes"
			;;
		esac
		echo $$ >"$origin/$V1_NAME/cgroup.procs" ||
			fail "cannot move the case's shell into $origin/$V1_NAME"
	done || exit 1
}

# v1_cleanup: (from the case's EXIT trap, once its processes are killed) every process of the
# cgroups v1_enter made back where the shell was, then those cgroups and what is left beneath.
# shellcheck disable=SC2317 # called from the EXIT trap
v1_cleanup()
{
	[ -n "${V1_CGROUPS:-}" ] || return 0
	printf '%s\n' "$V1_CGROUPS" | while read -r _ origin; do
		cgroup_tree_remove "$origin" "$origin/$V1_NAME"
	done
}
