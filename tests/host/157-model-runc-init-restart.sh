# SPDX-License-Identifier: GPL-2.0-only
# canister: a runc container's init phase survives a canisterd restart (trace mode).  The OCI hook
# names runc init at createRuntime; canisterd restarts between `runc create` and `runc start`,
# while runc init waits on its exec fifo.  The learned model is the one of a run without the
# restart: the same state, the workload's events alone (runc init's open of its fifo and its exec
# of the workload, made after the restart, are the runtime's).  Enforced with that model across a
# restart, the workload runs; and the phase, once ended, is not opened again by a restart: the
# container's init, past its first exec, executing a program the model never saw after canisterd
# restarted is denied.
. "$(dirname "$0")/../lib/harness.sh"
. "$(dirname "$0")/../lib/oci-bundle.sh"
. "$(dirname "$0")/../lib/integrity.sh"
. "$(dirname "$0")/../lib/model-runc.sh"

# created N CONTID ARGS...: runc container N created (its hook run: the domain made with runc
# init), not started; its output in $T_TMP/runc-N.log.
created() {
	n=$1 contid=$2
	shift 2
	bundle_annotate "$BUNDLE" org.canister.contid "$contid" || fail "annotation"
	bundle_set_args "$BUNDLE" "$@" || fail "cannot set the args"
	rn create -b "$BUNDLE" "$CID-$n" </dev/null >"$T_TMP/runc-$n.log" 2>&1 ||
		fail "runc create $n failed: $(cat "$T_TMP/runc-$n.log")"
}
stopped() { rn state "$CID-$1" 2>/dev/null | grep -q '"status": "stopped"'; }
# started_through N: runc start, then the container's end.
started_through() {
	rn start "$CID-$1" || fail "runc start $1 failed"
	wait_until "container $1's end" stopped "$1"
}
restart() {
	stop_daemon
	start_daemon
}

bundle_annotate "$BUNDLE" org.canister.model learn || fail "annotation"
run 1 1571 sh -c "$WORK" || fail "the learning container failed: $(cat "$T_TMP/runc-1.log")"
expect_eq "$(cat "$T_TMP/runc-1.log")" hi "container 1571's output"
# Read now: a restart forgets the domain of a container that ended.
state=$(cn model 1571 state) || fail "no state for container 1571"
cn model 1571 export "$T_TMP/work.model" || fail "export failed"

created 2 1572 sh -c "$WORK"
restart
started_through 2
expect_eq "$(cat "$T_TMP/runc-2.log")" hi "container 1572's output, restarted in between"
expect_eq "$(cn model 1572 state)" "$state" \
	"the state learned across a restart between the runtime's create and start"
expect_eq "$(cn model 1572 counts | awk '$1 == "unlearned" { print $2 }')" 0 \
	"events of container 1572 not learned"

bundle_annotate "$BUNDLE" org.canister.model "$T_TMP/work.model" || fail "annotation"
bundle_annotate "$BUNDLE" org.canister.model-enforce yes || fail "annotation"
created 3 1573 sh -c "$WORK"
restart
started_through 3
expect_eq "$(cat "$T_TMP/runc-3.log")" hi "the learned workload under its enforced model, restarted in between"
expect_eq "$(cn model 1573 forensics)" "" "forensics of the learned workload"

# The attack: the init execs the workload, which waits (in the shell, executing nothing, until
# the host makes /go in the rootfs) while canisterd restarts, then executes a program outside
# the model: the phase ended before the restart, and stays so.
rm -f "$BUNDLE/rootfs/go"
created 4 1574 sh -c "$WORK; while [ ! -e /go ]; do :; done; exec /bin/prog true"
rn start "$CID-4" || fail "runc start 4 failed"
wait_until "container 4's workload" grep -q hi "$T_TMP/runc-4.log"
restart
touch "$BUNDLE/rootfs/go"
wait_until "container 4's end" stopped 4
grep -q "/bin/prog: Operation not permitted" "$T_TMP/runc-4.log" ||
	fail "the init's exec of /bin/prog after a restart was not refused with EPERM: $(cat "$T_TMP/runc-4.log")"
expect_eq "$(cn model 1574 forensics | wc -l)" 1 "forensics of the init's second exec alone"
exit 0
