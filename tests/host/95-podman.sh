# SPDX-License-Identifier: GPL-2.0-only
# podman as a user runs it: Debian's podman 4.3 with canister's hooks.d file labels a
# container's processes, podman exec joins, podman stop is a drop record, canister ps
# shows the container only while it runs, and a container canisterd cannot label
# never starts.
#
# The image is built here (the busybox-static rootfs of tests/lib/oci-bundle.sh,
# imported with podman import): no registry, no network.  Every piece of podman's
# state (storage, runtime state, runc's state, network config, temporary files,
# cgroups) lives under this case's directory or cgroup, so the machine's own podman
# storage is never read or touched, and the EXIT trap removes all of it.
#
# What podman 4.3.1 with runc 1.1.5 does here, and what this case relies on:
# - podman run: conmon runs runc create, whose createRuntime hooks come from the
#   hooks.d file; the hook's state.id is podman's full 64-hex container id and
#   .State.Pid is the container's init, the pid the hook registered.
# - podman exec: conmon runs runc exec, which setns()es into the container's
#   namespaces (see 80-runc.sh); the exec'd process's parent is a conmon outside.
# - Without explicit --ulimit, runc fails here with "error setting rlimit type 7":
#   podman's default nofile limit exceeds the machine's hard limit.
. "$(dirname "$0")/../lib/harness.sh"
. "$(dirname "$0")/../lib/oci-bundle.sh"

: "${CANISTER_HOOK:=$(dirname "$CANISTER")/canister-oci-hook}"
HOOK_TEMPLATE=$(dirname "$0")/../../docs/oci/canister-hook.json.in
command -v podman >/dev/null || fail "podman is missing; scripts/install-deps --test installs it"
command -v runc >/dev/null || fail "runc is missing; scripts/install-deps --test installs it"
[ -x "$CANISTER_HOOK" ] || fail "$CANISTER_HOOK is missing; run make first"

# podman refuses a runroot longer than 50 characters, which $T_TMP/podman/runroot is once
# T_TMP names the case's pid (/tmp/canister-95-podman-PID.XXXXXX): podman's state gets a
# short directory of its own in /tmp, which t_podman_cleanup removes.
PM=$(mktemp -d /tmp/cpm.XXXXXX) || fail "cannot make podman's directory in /tmp"
CGROUP="canister-test-$T_NAME-$$"
IMAGE=localhost/canister-busybox:test
N=94

# pm ARGS...: podman with all of its state in $PM.  The storage and containers.conf
# files replace the machine's (podman reads the system ones otherwise); runc gets its
# own --root instead of /run/runc.
pm()
{
	TMPDIR="$PM/tmp" CONTAINERS_CONF="$PM/containers.conf" CONTAINERS_STORAGE_CONF="$PM/storage.conf" \
		podman --root "$PM/root" --runroot "$PM/runroot" --tmpdir "$PM/tmp" --storage-driver vfs \
		--cgroup-manager cgroupfs --runtime runc --runtime-flag "root=$PM/runc" --events-backend file \
		--hooks-dir "$PM/hooks.d" "$@"
}

# pm_run NAME ARGS...: podman run -d as this machine allows it (see the top), with the
# containers' cgroups under the case's own parent; prints the container's full id.
pm_run()
{
	pr_name=$1
	shift
	pm run -d --name "$pr_name" --pull never --network none --cgroup-parent "/$CGROUP" \
		--ulimit nofile=1024:1024 --ulimit nproc=4096:4096 "$@" 2>"$T_TMP/run.err"
}

# cgroups_gone: removes what is left of the case's cgroup parent in every hierarchy;
# true once none is left.
cgroups_gone()
{
	cg_left=0
	for cg in /sys/fs/cgroup/"$CGROUP" /sys/fs/cgroup/*/"$CGROUP"; do
		[ -d "$cg" ] || continue
		find "$cg" -depth -type d -exec rmdir {} + 2>/dev/null || cg_left=1
	done
	return "$cg_left"
}

# The containers go before t_cleanup stops the daemon and removes $T_TMP: rm -f kills
# what runs (their conmons exit with them) and unmounts their /dev/shm.  What podman
# did not remove (a failure halfway) is unmounted and removed by hand.  A conmon that
# exited stays in its cgroup (v1) until it is reaped, and its parent is the machine's
# init, which may take a while: the cgroups are removed once it has.
t_podman_cleanup()
{
	if [ -d "$PM" ]; then
		pm rm -a -f -t 0 >/dev/null 2>&1
		awk -v pm="$PM/" 'index($2, pm) == 1 { print $2 }' /proc/mounts | sort -r |
			while read -r mnt; do umount -l "$mnt"; done
	fi
	tc_deadline=$(($(date +%s) + 30))
	until cgroups_gone; do
		if [ "$(date +%s)" -ge "$tc_deadline" ]; then
			echo "$T_NAME: cannot remove the cgroups of /$CGROUP:" \
				"$(cat /sys/fs/cgroup/*/"$CGROUP"/*/cgroup.procs 2>/dev/null | tr '\n' ' ')" >&2
			T_FAILED=1
			break
		fi
		sleep 0.1
	done
	rm -rf "$PM"
	t_cleanup
	[ -z "${T_FAILED:-}" ] || exit 1
}
trap t_podman_cleanup EXIT

# derived_contid ID: the contid docs/oci-hook.md derives from ID: the first 8 bytes of
# SHA-256(ID), big-endian, masked to 53 bits.  Only hex digits 3..16 are read (56 bits,
# which the mask covers): the case runs under dash, which clamps a 64-bit constant.
derived_contid()
{
	echo $((0x$(printf %s "$1" | sha256sum | cut -c3-16) & ((1 << 53) - 1)))
}

# hpid CONTAINER ARGS: the host pid of the container's process whose command line is
# ARGS, as podman top reports it.
hpid()
{
	pm top "$1" hpid args | awk -v args="$2" 'NR > 1 { h = $1; $1 = ""; sub(/^ +/, ""); sub(/ +$/, "")
		if ($0 == args) print h }'
}

# wait_hpid CONTAINER ARGS: sets wh_pid to hpid's answer once there is one: podman
# exec may return before the process it started (or that one's child) has exec'd ARGS.
wh_found() { wh_pid=$(hpid "$1" "$2") && [ -n "$wh_pid" ]; }
wait_hpid()
{
	poll_until "$T_WAIT" wh_found "$1" "$2" || fail "podman top shows no '$2': $(pm top "$1" hpid args)"
}

# ps_name CONTID: the name canister ps gives the container CONTID ("" when it lists none).
ps_name()
{
	cn ps --json | jq -r --arg c "$1" '.containers[] | select(.contid == $c) | .name'
}

mkdir -p "$PM/hooks.d" "$PM/tmp" "$PM/net" || fail "cannot make $PM"
cat >"$PM/storage.conf" <<CONF || fail "cannot write $PM/storage.conf"
[storage]
driver = "vfs"
graphroot = "$PM/root"
runroot = "$PM/runroot"
CONF
# network_config_dir: podman would otherwise take a lock in /etc/cni/net.d, even for
# --network none.  image_copy_tmp_dir: import stages the layer in /var/tmp otherwise.
cat >"$PM/containers.conf" <<CONF || fail "cannot write $PM/containers.conf"
[engine]
cgroup_manager = "cgroupfs"
events_logger = "file"
image_copy_tmp_dir = "$PM/tmp"
runtime = "runc"
[network]
network_config_dir = "$PM/net"
CONF

# The hooks.d file as make install writes it, for the build tree's hook; the hook's
# env names this case's daemon ($CANISTER_SOCKET, docs/oci-hook.md).
hook_bindir=$(cd "$(dirname "$CANISTER_HOOK")" && pwd) || fail "no directory for $CANISTER_HOOK"
sed -e "s|@BINDIR@|$hook_bindir|" "$HOOK_TEMPLATE" |
	jq --arg env "CANISTER_SOCKET=$T_SOCK" '.hook.env = [$env]' >"$PM/hooks.d/canister-hook.json" ||
	fail "cannot write the hooks.d file from $HOOK_TEMPLATE"
expect_eq "$(jq -r .hook.path "$PM/hooks.d/canister-hook.json")" "$hook_bindir/canister-oci-hook" "hooks.d hook.path"

make_busybox_bundle "$T_TMP/bundle" || fail "cannot make the busybox rootfs"
tar -C "$T_TMP/bundle/rootfs" -cf "$T_TMP/rootfs.tar" . || fail "cannot pack the busybox rootfs"
pm import "$T_TMP/rootfs.tar" "$IMAGE" >"$T_TMP/import.log" 2>&1 ||
	fail "podman import failed: $(cat "$T_TMP/import.log")"

start_daemon

# A container with an explicit contid: its init carries it from the start, under the
# name podman gave it; conmon, its monitor outside, does not.
id=$(pm_run annotated --annotation "org.canister.contid=$N" "$IMAGE" sleep 1000) ||
	fail "podman run failed: $(cat "$T_TMP/run.err")"
init=$(pm inspect --format '{{.State.Pid}}' annotated) || fail "podman inspect failed"
expect_eq "$(cn get "$init")" "$N $id" "container init (podman inspect .State.Pid)"
expect_record "op=set opid=$init contid=$N old-contid=-1 name=\"$id\" .*res=1\$" "registration record"
conmon=$(pm inspect --format '{{.State.ConmonPid}}' annotated) || fail "podman inspect failed"
expect_eq "$(cn get "$conmon")" unset "conmon"
expect_eq "$(ps_name "$N")" "$id" "canister ps while the container runs"

# podman exec, in the foreground: the shell has exited by the time we look, and its
# background child was reparented to the container's init.
pm exec annotated sh -c 'sleep 100 >/dev/null 2>&1 &' </dev/null || fail "podman exec failed"
wait_hpid annotated "sleep 100"
bg=$wh_pid
expect_eq "$(cn get "$bg")" "$N $id" "child of a podman exec shell"
expect_record "op=join opid=[0-9]+ contid=$N old-contid=-1 name=\"$id\" .*res=1\$" "join record for podman exec"

# podman exec -d: the process runc exec runs, still running.
pm exec -d annotated sleep 200 </dev/null >/dev/null || fail "podman exec -d failed"
wait_hpid annotated "sleep 200"
execd=$wh_pid
expect_eq "$(cn get "$execd")" "$N $id" "the process podman exec -d runs"

# A container without the annotation: its contid is derived from podman's id.
id2=$(pm_run derived "$IMAGE" sleep 1000) || fail "podman run failed: $(cat "$T_TMP/run.err")"
init2=$(pm inspect --format '{{.State.Pid}}' derived) || fail "podman inspect failed"
n2=$(derived_contid "$id2")
expect_eq "$(cn get "$init2")" "$n2 $id2" "container init without the annotation (contid derived from the id)"
expect_eq "$(ps_name "$n2")" "$id2" "canister ps lists the second container"

# podman stop: init and every process exec'd into the container die with the pid
# namespace, canisterd records the drop, and canister ps no longer lists it.  -t 0:
# sleep as pid 1 ignores podman's SIGTERM, and the KILL would come after 10 s.
pm stop -t 0 annotated >/dev/null 2>"$T_TMP/stop.err" || fail "podman stop failed: $(cat "$T_TMP/stop.err")"
expect_record "type=CONTAINER_OP .*op=drop .*old-contid=$N name=\"$id\" res=1\$" "drop record after podman stop"
# canisterd writes the record just before it forgets the container.
not_listed() { [ -z "$(ps_name "$N")" ]; }
wait_until "canister ps no longer listing the stopped container" not_listed
expect_eq "$(ps_name "$n2")" "$id2" "canister ps still lists the running container"

# podman start of the stopped container: a new init, the same id and annotation, so the
# same contid again (the drop freed it).
# podman stop returns while conmon's `podman container cleanup` may still run: on a loaded
# host podman start then failed with runc's "container with given ID already exists".  Start
# once no cleanup of this case's podman runs.
cleanup_done() { ! pgrep -f "podman --root $PM/root .*container cleanup" >/dev/null; }
wait_until "podman's cleanup of the stopped container" cleanup_done
# podman 4.3.1 started within a second of its stop can find runc's state of the container
# still there (conmon's exit command, podman container cleanup, has not deleted it) and then
# fails with runc's "container with given ID already exists" (CI, and 3 runs of 4 here once the
# machine had run for two hours).  The state is deleted here as that cleanup deletes it.
if [ -e "$PM/runc/$id" ]; then
	runc --root "$PM/runc" delete "$id" 2>"$T_TMP/delete.err" || [ ! -e "$PM/runc/$id" ] ||
		fail "runc delete of the stopped container: $(cat "$T_TMP/delete.err")"
fi
pm start annotated >/dev/null 2>"$T_TMP/start.err" || fail "podman start failed: $(cat "$T_TMP/start.err")"
init=$(pm inspect --format '{{.State.Pid}}' annotated) || fail "podman inspect failed"
expect_eq "$(cn get "$init")" "$N $id" "container init after podman start"

pm rm -f -t 0 annotated derived >/dev/null 2>"$T_TMP/rm.err" || fail "podman rm failed: $(cat "$T_TMP/rm.err")"
expect_record "type=CONTAINER_OP .*op=drop .*old-contid=$n2 name=\"$id2\" res=1\$" "drop record after podman rm -f"
none_left() { [ "$(cn ps --json | jq '.containers | length')" = 0 ]; }
wait_until "canister ps empty after podman rm" none_left
stop_daemon

# With canisterd down, the hook fails, and podman refuses to start the container
# with the hook's own message: no container runs unlabelled.
pm_run unlabelled "$IMAGE" sleep 1000 >/dev/null && fail "podman started a container with canisterd down"
expect_match "$(cat "$T_TMP/run.err")" "canister-oci-hook: canisterd is not running" "podman's error with canisterd down"
expect_eq "$(pm ps -q)" "" "running containers after the refused start"
