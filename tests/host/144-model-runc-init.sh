# SPDX-License-Identifier: GPL-2.0-only
# canister: a runc container's model starts at its workload, not at runc init (trace mode).  The OCI
# hook registers runc init before it pivots into the rootfs and drops its capabilities; those steps
# are the runtime's.  Learned from runc, the model holds the workload's events alone: no mount of
# runc's, one TASK_ID (busybox's, as each exec names it), and the same state from two containers,
# the second one's start read by canisterd while runc init still holds every capability (each
# `canister model N counts` reads the observers' ring at once: the reading that once left runc
# init's TASK_ID with its capabilities of then in the model, and denied an enforced container's
# first exec).  Enforced, the workload runs; and the workload, run as the container's init, cannot
# stay unmodelled: its own exec of a program the model never saw is denied.  An init that is not
# the container's is refused.
. "$(dirname "$0")/../lib/harness.sh"
. "$(dirname "$0")/../lib/oci-bundle.sh"
. "$(dirname "$0")/../lib/integrity.sh"
. "$(dirname "$0")/../lib/model-runc.sh"

# workload_only CONTID: the learned model holds the workload's events alone.
workload_only() {
	cn model "$1" events >"$T_TMP/events-$1.jsonl" || fail "no model for container $1"
	[ -s "$T_TMP/events-$1.jsonl" ] || fail "container $1 learned nothing"
	python3 - "$T_TMP/events-$1.jsonl" <<'PY' || fail "container $1's model holds runc's steps"
import json, sys
events = [json.loads(line) for line in open(sys.argv[1])]
task_ids = {e["event"]["task_id"] for e in events}
runs_as = {e["event"]["new_task_id"] for e in events if "new_task_id" in e["event"]}
mounts = [e for e in events if e["event"]["type"] == "sb_mount"]
init = [e for e in events if e["event"].get("process", "").startswith("runc")]
why = []
if mounts:
    why.append("%d mount events (runc's)" % len(mounts))
if init:
    why.append("%d events of runc init" % len(init))
if len(task_ids) != 1 or task_ids != runs_as:
    why.append("TASK_IDs %s, where the workload's execs name %s" %
               (sorted(t[:12] for t in task_ids), sorted(t[:12] for t in runs_as)))
if why:
    print("; ".join(why), file=sys.stderr)
    sys.exit(1)
PY
}

bundle_annotate "$BUNDLE" org.canister.model learn || fail "annotation"
run 1 1441 sh -c "$WORK" || fail "the first learning container failed: $(cat "$T_TMP/runc-1.log")"
workload_only 1441

# The second one's start is read as fast as canisterd can: a model request drains the ring.
(while [ ! -e "$T_TMP/started-2" ]; do cn model 1442 counts >/dev/null 2>&1; done) &
DRAIN=$!
run 2 1442 sh -c "$WORK" || fail "the second learning container failed: $(cat "$T_TMP/runc-2.log")"
touch "$T_TMP/started-2"
wait "$DRAIN"
workload_only 1442
expect_eq "$(cn model 1442 state)" "$(cn model 1441 state)" \
	"the state of the same workload learned in two runc containers"
expect_eq "$(cn model 1442 counts | awk '$1 == "unlearned" { print $2 }')" 0 \
	"events of the second container not learned"

cn model 1441 export "$T_TMP/work.model" || fail "export failed"
bundle_annotate "$BUNDLE" org.canister.model "$T_TMP/work.model" || fail "annotation"
bundle_annotate "$BUNDLE" org.canister.model-enforce yes || fail "annotation"
run 3 1443 sh -c "$WORK" || fail "the enforced container failed: $(cat "$T_TMP/runc-3.log")"
expect_eq "$(cat "$T_TMP/runc-3.log")" hi "the learned workload under its enforced model"
expect_eq "$(cn model 1443 forensics)" "" "forensics of the learned workload"

# The attack: the container's init, past its first exec, executes again to stay unmodelled.
run 4 1444 sh -c "$WORK; exec /bin/prog true" &&
	fail "the init's second exec, of a program outside the model, was allowed: $(cat "$T_TMP/runc-4.log")"
grep -q "/bin/prog: Operation not permitted" "$T_TMP/runc-4.log" ||
	fail "the init's exec of /bin/prog was not refused with EPERM: $(cat "$T_TMP/runc-4.log")"
expect_record "type=CONTAINER_MODEL .* op=exec contid=1444 pid=[0-9]+ exe=\"[^\"]*\" target=\"/bin/prog\" event=bprm_set_creds coefficient=[0-9a-f]{64} mode=enforce res=0" \
	"the init's denied exec's record"
expect_eq "$(cn model 1444 forensics | wc -l)" 1 "forensics of the init's second exec alone"

# "init" names a process of the container the domain is made for: another one (this shell) is
# refused with EINVAL and makes no domain; the container's own is taken.
cn run --id 1445 -- sleep 1445001 &
runner=$!
started "$runner"
sleeper() { pgrep -fx "sleep 1445001"; }
wait_until "container 1445's process" sleeper
started "$(sleeper)"
learn_init() {
	python3 - "$T_SOCK" "$1" "$2" <<'PY'
import json, socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
s.connect(sys.argv[1])
s.send(json.dumps({"op": "model", "version": 1, "contid": sys.argv[2], "action": "learn",
                   "init": int(sys.argv[3])}).encode())
print(s.recv(1 << 20).decode())
PY
}
reply=$(learn_init 1445 $$)
expect_match "$reply" "pid $$ is not a process of container 1445" "a foreign init's refusal"
expect_match "$reply" "EINVAL|Invalid argument|\"errno\": *22" "a foreign init's errno"
cn model 1445 counts >/dev/null 2>&1 && fail "a refused init made a domain"
reply=$(learn_init 1445 "$(sleeper)")
cn model 1445 counts >/dev/null || fail "the container's own init was not taken: $reply"
exit 0
