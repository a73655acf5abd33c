# SPDX-License-Identifier: GPL-2.0-only
# canister: descriptors passed on the control socket (SCM_RIGHTS) never stay in canisterd.
# Only a model-load takes one (a sealed memfd), and canisterd closes it after the request; a
# client (an attacker with the socket's rights) that passes two descriptors with a request, or
# one with an empty datagram, must not leave them open in canisterd: each kept descriptor
# would be canisterd's until it stops, and enough of them exhaust its RLIMIT_NOFILE.
. "$(dirname "$0")/../lib/harness.sh"

start_daemon

# Sends @kind's datagram with memfds named canister-probe-@kind and waits for the answer (or
# the end of the connection, after an empty datagram).
probe() {
	python3 - "$T_SOCK" "$1" <<'PY'
import json, os, socket, sys

sock_path, kind = sys.argv[1], sys.argv[2]
fds = [os.memfd_create("canister-probe-" + kind, os.MFD_CLOEXEC) for _ in range(2)]
s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
s.connect(sock_path)
if kind == "two":
    socket.send_fds(s, [json.dumps({"version": 1, "op": "status"}).encode()], fds)
    reply = json.loads(s.recv(1 << 20))
    print("ok" if reply.get("ok", True) and "errno" not in reply else reply)
elif kind == "empty":
    socket.send_fds(s, [b""], fds[:1])
    print("closed" if s.recv(1 << 20) == b"" else "answered")
PY
}
kept() { ls -l "/proc/$T_DAEMON_PID/fd" 2>/dev/null | grep -c "memfd:canister-probe-$1" || true; }

expect_eq "$(probe two)" ok "a status request that passed two descriptors"
expect_eq "$(kept two)" 0 "descriptors of a status request that canisterd kept"
expect_eq "$(probe empty)" closed "an empty datagram passing a descriptor"
expect_eq "$(kept empty)" 0 "descriptors of an empty datagram that canisterd kept"
daemon_answers || fail "canisterd stopped answering"
exit 0
