# SPDX-License-Identifier: GPL-2.0-only
# canister: a model file larger than a control datagram (issue 15's limit of 232 KiB) loads
# through a sealed memfd passed with the request: a learned model widened to 100,000 more
# coefficients is loaded by `canister run --model` and by `canister model load`, and enforced
# (its workload runs, a new command is denied); a malformed large file is refused with its line
# and changes nothing.  canisterd reads only a sealed memfd: a pipe, an unsealed memfd or no
# descriptor at all is refused (a caller could otherwise hold the main loop or change the text
# as it is parsed).  An ended container's domain leaves memory (model_ended_grace) and is
# loaded back for its views; a live container's stays.
. "$(dirname "$0")/../lib/harness.sh"
. "$(dirname "$0")/../lib/integrity.sh"

integrity_config 'measure func=BPRM_CHECK
' 10000
trap 'integrity_cleanup' EXIT
start_daemon

WORK='cat /etc/hostname >/dev/null; ls / >/dev/null'
WIDEN="$(dirname "$0")/../tools/model-widen.py"

cn run --id 1501 --model learn -- sh -c "$WORK" || fail "the learning run failed"
cn model 1501 export "$T_TMP/work.model" || fail "export failed"
learned=$(grep -c '^coefficient ' "$T_TMP/work.model")
python3 "$WIDEN" "$T_TMP/work.model" "$T_TMP/big.model" 100000 || fail "cannot widen the model"
chmod 600 "$T_TMP/big.model"
size=$(stat -c %s "$T_TMP/big.model")
[ "$size" -gt $((232 * 1024)) ] || fail "the widened model has only $size bytes"
total=$(grep -c '^coefficient ' "$T_TMP/big.model")
expect_eq "$total" $((learned + 100000)) "the widened model's coefficients"

# canister run --model: loaded whole and enforced; the workload runs, a new command is denied.
cn run --id 1502 --model "$T_TMP/big.model" --model-enforce -- sh -c "$WORK" ||
	fail "the learned workload did not run under its large enforced model"
expect_eq "$(cn model 1502 counts | awk '$1 == "mode" { print $2 }')" enforce "the large model's mode"
expect_eq "$(cn model 1502 counts | awk '$1 == "loaded" { print $2 }')" "$total" \
	"the large model's loaded coefficients"
expect_eq "$(cn model 1502 forensics)" "" "forensics of the learned workload"
status=0
cn run --id 1503 --model "$T_TMP/big.model" --model-enforce -- sh -c "$WORK; id" \
	>/dev/null 2>"$T_TMP/denied.err" || status=$?
expect_eq "$status" 126 "a command outside the large model (id), enforced"

# The model exported again is the file loaded (the same coefficients).
cn model 1502 export "$T_TMP/again.model" || fail "the large model's export failed"
expect_eq "$(grep '^coefficient ' "$T_TMP/again.model" | md5sum)" \
	"$(grep '^coefficient ' "$T_TMP/big.model" | md5sum)" "the large model exported again"

# canister model load: a malformed large file is refused with its line; nothing changes.
mkfifo "$T_TMP/hold"
sh -c "read x <'$T_TMP/hold'" &
started $!
hold_pid=$!
cn set "$hold_pid" 1504 >/dev/null || fail "cannot register the holder"
python3 "$WIDEN" "$T_TMP/work.model" "$T_TMP/bad.model" 100000 --bad-at 90000 ||
	fail "cannot write the malformed model"
chmod 600 "$T_TMP/bad.model"
out=$(cn model load 1504 "$T_TMP/bad.model" 2>&1) && fail "a malformed large model was loaded"
expect_eq "$out" "canister: $T_TMP/bad.model:90000: coefficient: 63 hex digits, a SHA-256 digest has 64" \
	"the malformed large model's refusal"
out=$(cn model 1504 state 2>&1) && fail "a refused large load left a model"
expect_eq "$out" "canister: container 1504 has no model" "nothing changed by a refused large load"

# What canisterd itself takes on the socket: the CLI's checks left out, as an attacker would.
raw() {
	python3 - "$T_SOCK" "$@" <<'PY'
import fcntl, json, os, socket, sys

sock_path, kind, contid = sys.argv[1], sys.argv[2], sys.argv[3]
text = open(sys.argv[4], "rb").read() if len(sys.argv) > 4 else b""
request = json.dumps({"version": 1, "op": "model-load", "contid": contid,
                      "model_memfd": True}).encode()
fds = []
if kind == "pipe":
    r, w = os.pipe()  # nothing written: a read would wait for ever
    fds = [r]
elif kind in ("unsealed", "sealed"):
    fd = os.memfd_create("model", os.MFD_CLOEXEC | os.MFD_ALLOW_SEALING)
    os.write(fd, text)
    if kind == "sealed":
        fcntl.fcntl(fd, fcntl.F_ADD_SEALS,
                    fcntl.F_SEAL_SHRINK | fcntl.F_SEAL_GROW | fcntl.F_SEAL_WRITE)
    fds = [fd]
s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
s.connect(sock_path)
socket.send_fds(s, [request], fds)
reply = json.loads(s.recv(1 << 20))
print(reply.get("errno", "ok"), reply.get("error", ""))
PY
}
expect_eq "$(raw none 1504)" "EINVAL \"model_memfd\" names the memfd passed with the request, and none was passed" \
	"model_memfd without a descriptor"
expect_eq "$(raw pipe 1504)" "EINVAL the descriptor passed with the request is not a memfd sealed against writing, growing and shrinking" \
	"a pipe for a model"
expect_eq "$(raw unsealed 1504 "$T_TMP/big.model")" "EINVAL the descriptor passed with the request is not a memfd sealed against writing, growing and shrinking" \
	"an unsealed memfd"
expect_eq "$(raw sealed 1504 "$T_TMP/bad.model")" "EINVAL model:90000: coefficient: 63 hex digits, a SHA-256 digest has 64" \
	"a malformed model in a sealed memfd"
out=$(cn model 1504 state 2>&1) && fail "a refused raw load left a model"
expect_eq "$out" "canister: container 1504 has no model" "nothing changed by the refused raw loads"
daemon_answers || fail "canisterd stopped answering after the raw loads"

# The valid large model through `canister model load`.
expect_eq "$(cn model load 1504 "$T_TMP/big.model")" "container 1504: model loaded, seal" "the large model loaded"
expect_eq "$(cn model 1504 counts | awk '$1 == "loaded" { print $2 }')" "$total" \
	"the loaded large model's coefficients"
echo >"$T_TMP/hold"

# An ended container's domain leaves memory (model_ended_grace = 0: at the first save after it
# ended); its views load it back from model_dir; a live container's domain stays and learns on.
stop_daemon
echo "model_ended_grace = 0" >>"$T_CONF"
start_daemon
mkfifo "$T_TMP/go"
cn run --id 1505 --model learn -- sh -c "cat /etc/hostname >/dev/null; read x <'$T_TMP/go'; ls / >/dev/null" \
	>"$T_TMP/live.out" 2>&1 &
started $!
learned_live() { [ "$(cn model 1505 counts 2>/dev/null | awk '$1 == "learned" { print $2 }')" -ge 2 ] 2>/dev/null; }
wait_until 30 "the live container's first coefficients" learned_live
live_before=$(cn model 1505 counts | awk '$1 == "learned" { print $2 }')
cn run --id 1506 --model learn -- sh -c "$WORK" || fail "the ended container's learning run failed"
state6=$(cn model 1506 state)
freed() { [ "$(grep -c "model: container 1506 ended: its domain is freed from memory" "$T_LOG")" -ge "$1" ]; }
wait_until 30 "the ended container's domain freed" freed 1
expect_eq "$(cn --json status | jq .model.domains)" 1 "domains in memory: the live container's only"
grep -q "model: container 1505 ended" "$T_LOG" && fail "the live container's domain was freed"
[ -s "$T_TMP/model/1506/model" ] || fail "the freed domain is not kept in model_dir"
# Its views still read: loaded back, the same state; then freed again.
expect_eq "$(cn model 1506 state)" "$state6" "the ended container's state, loaded back"
grep -q "model: container 1506 ended: its domain is loaded back" "$T_LOG" ||
	fail "the ended container's domain was not loaded back"
cn model 1506 export "$T_TMP/ended.model" || fail "the ended container's export failed"
expect_eq "$(awk '$1 == "state" { print $2 }' "$T_TMP/ended.model")" "$state6" "the ended container's export"
wait_until 30 "the loaded-back domain freed again" freed 2
# The live one was never freed: it learns what its workload does next.
echo go >"$T_TMP/go"
learned_more() { [ "$(cn model 1505 counts | awk '$1 == "learned" { print $2 }')" -gt "$live_before" ]; }
wait_until 30 "the live container learning on" learned_more
exit 0
