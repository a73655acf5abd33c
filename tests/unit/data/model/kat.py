# SPDX-License-Identifier: GPL-2.0-only
# canister unit tests: known answers for test_model_coefficient, computed from docs/model.md's
# layouts with hashlib and struct alone (no canister code).  Run once; its output is kat.txt:
#   python3 tests/unit/data/model/kat.py > tests/unit/data/model/kat.txt
import hashlib
import struct


def h(b):
    return hashlib.sha256(b).digest()


def string(s):
    b = s.encode()
    return struct.pack('<I', len(b)) + b


def coefficient(name, task_id, coe, cell):
    return h(h(name.encode()) + task_id + h(coe) + h(cell))


coe = struct.pack('<8IQ', 1000, 1000, 1000, 100, 100, 100, 1000, 1000, 0x20)
task = bytes([0x11]) * 32
# capable: CAP_SYS_ADMIN (21), opts 0
capable = coefficient('capable', task, coe, struct.pack('<II', 21, 0))
# file_open of /etc/passwd: uid 0, gid 0, mode 0100644, ext4, uuid 00..0f, digest 0x22 * 32
file_cell = (struct.pack('<IIII', 0, 0, 0o100644, 0xef53) + bytes(range(16)) +
             string('/etc/passwd') + bytes([0x22]) * 32)
file_open = coefficient('file_open', task, coe, file_cell)
# TASK_ID of /bin/sh (same inode fields, digest 0x33 * 32) run with coe: NULL_ID in place of TASK_ID
exe_cell = (struct.pack('<IIII', 0, 0, 0o100755, 0xef53) + bytes(range(16)) +
            string('/bin/sh') + bytes([0x33]) * 32)
task_id = coefficient('bprm_set_creds', bytes(32), coe, exe_cell)
# task_kill: target 0x44 * 32, SIGTERM, crossing containers
kill = coefficient('task_kill', task, coe, bytes([0x44]) * 32 + struct.pack('<II', 15, 1))
# socket_connect: AF_INET (2), SOCK_STREAM (1), protocol 6, port 443, 192.0.2.1
connect = coefficient('socket_connect', task, coe,
                      struct.pack('<IIIH', 2, 1, 6, 443) + bytes([192, 0, 2, 1]))
# sb_mount: "tmpfs" on /mnt, type "tmpfs", flags MS_NOSUID (2)
mount = coefficient('sb_mount', task, coe,
                    string('tmpfs') + string('/mnt') + string('tmpfs') + struct.pack('<Q', 2))
# move_mount: the source a whole tmpfs (fsmount's)
move_mount = coefficient('move_mount', task, coe, string('tmpfs') + struct.pack('<I', 1))
# file_mprotect: anonymous (1), PROT_READ asked (1), PROT_READ|PROT_EXEC applied (5)
mprotect = coefficient('file_mprotect', task, coe, struct.pack('<III', 1, 1, 5))


def extend(value, point, base=bytes(32)):
    return h(value + h(base + point))


# measurement of a model that saw file_open, then capable; its state (zero aggregate and base)
measurement = extend(extend(extend(bytes(32), bytes(32)), file_open), capable)
state = bytes(32)
state = extend(state, bytes(32))
for point in sorted([capable, file_open]):
    state = extend(state, point)
pseudonym = h(struct.pack('<I', len(b'/var/log/app.log')) + b'/var/log/app.log')

for name, value in [('capable', capable), ('file_open', file_open), ('task_id', task_id),
                    ('task_kill', kill), ('socket_connect', connect), ('sb_mount', mount),
                    ('move_mount', move_mount),
                    ('file_mprotect', mprotect),
                    ('measurement', measurement), ('state', state),
                    ('pseudonym', pseudonym)]:
    print(name, value.hex())
