#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
# canister: recomputes every coefficient of a behaviour-model export (JSON lines, docs/model.md
# "Export") from its fields and the byte layouts docs/model.md documents, with hashlib and json
# alone, and compares each with the coefficient the line carries (and new_task_id for an exec).
#
# Usage: model-recompute.py EXPORT.jsonl   (- for stdin)
#        model-recompute.py --model FILE    (a model file's state line, from its coefficients)
# Prints one line per event that does not recompute, then "N events, M mismatches"; exits 0 only
# when every line parsed and every coefficient matched (and there was at least one).  With
# --model, recomputes TSEM's state value (docs/model.md) from the file's aggregate, base and
# coefficients, prints it, and exits 0 only when the file's state line says the same.
import hashlib
import ipaddress
import json
import struct
import sys

AF_UNIX, AF_INET, AF_INET6 = 1, 2, 10


def sha256(data):
    return hashlib.sha256(data).digest()


def u16(value):
    return struct.pack('<H', int(value))


def u32(value):
    return struct.pack('<I', int(value))


def u64(value):
    return struct.pack('<Q', int(value))


def raw(text):
    # Paths are bytes: json gives back what was not UTF-8 as surrogates (surrogateescape).
    return text.encode('utf-8', 'surrogateescape')


def string(text):
    data = raw(text)
    return u32(len(data)) + data


def digest(hex_text, size=32):
    data = bytes.fromhex(hex_text)
    if len(data) != size:
        raise ValueError('digest of %d bytes, expected %d' % (len(data), size))
    return data


def coe_bytes(coe):
    ids = [int(coe[k]) for k in ('uid', 'euid', 'suid', 'gid', 'egid', 'sgid', 'fsuid',
                                 'fsgid')]
    return struct.pack('<8I', *ids) + u64(int(coe['capeff'], 16))


def file_bytes(file):
    inode = file['inode']
    return (u32(inode['uid']) + u32(inode['gid']) + u32(int(inode['mode'], 8)) +
            u32(int(inode['s_magic'], 16)) + digest(inode['s_uuid'], 16) +
            string(file['path']['pathname']) + digest(file['digest']))


def address_bytes(cell):
    family = int(cell['family'])
    if family == AF_INET:
        return u16(cell['port']) + ipaddress.IPv4Address(cell['addr']).packed
    if family == AF_INET6:
        return u16(cell['port']) + ipaddress.IPv6Address(cell['addr']).packed
    if family == AF_UNIX:
        return string(cell['addr'])
    return b''


def socket_bytes(cell):
    return u32(cell['family']) + u32(cell['type']) + u32(cell['protocol'])


def cell_bytes(name, cell):
    if name in ('bprm_set_creds', 'file_open'):
        return file_bytes(cell['file'])
    if name == 'mmap_file':
        anonymous = int(cell['type'])
        return (u32(anonymous) + (b'' if anonymous else file_bytes(cell['file'])) +
                u32(cell['reqprot']) + u32(cell['prot']) + u32(cell['flags']))
    if name == 'task_kill':
        return digest(cell['target']) + u32(cell['signal']) + u32(cell['cross_container'])
    if name == 'ptrace_access_check':
        return digest(cell['target']) + u32(cell['mode'])
    if name == 'socket_create':
        return socket_bytes(cell) + u32(cell['kern'])
    if name in ('socket_bind', 'socket_connect', 'socket_accept'):
        return socket_bytes(cell) + address_bytes(cell)
    if name == 'socket_listen':
        return socket_bytes(cell) + u32(cell['backlog'])
    if name == 'capable':
        return u32(cell['cap']) + u32(cell['opts'])
    if name == 'task_fix_setuid':
        return b''.join(u32(cell[k]) for k in ('uid', 'euid', 'suid', 'fsuid', 'flags'))
    if name == 'task_fix_setgid':
        return b''.join(u32(cell[k]) for k in ('gid', 'egid', 'sgid', 'fsgid', 'flags'))
    if name == 'sb_mount':
        return (string(cell['dev_name']) + string(cell['path']['pathname']) +
                string(cell['type']) + u64(cell['flags']))
    if name == 'move_mount':
        return string(cell['type']) + u32(cell['whole'])
    if name == 'file_mprotect':
        return u32(cell['type']) + u32(cell['reqprot']) + u32(cell['prot'])
    raise ValueError('unknown event type %r' % name)


def coefficient(name, task_id, coe, cell):
    return sha256(sha256(name.encode()) + task_id + sha256(coe_bytes(coe)) +
                  sha256(cell_bytes(name, cell)))


def check(record):
    """Returns a list of what does not recompute in one export record."""
    if record.get('export', {}).get('type') != 'event':
        return ['not an event export record']
    event = record['event']
    name = event['type']
    cell = record[name]
    problems = []
    got = coefficient(name, digest(event['task_id']), record['COE'], cell)
    if got.hex() != event['coefficient']:
        problems.append('coefficient %s, recomputed %s' % (event['coefficient'], got.hex()))
    if name == 'bprm_set_creds':
        task_id = coefficient(name, bytes(32), record['COE'], cell)
        if task_id.hex() != event.get('new_task_id'):
            problems.append('new_task_id %s, recomputed %s' % (event.get('new_task_id'),
                                                               task_id.hex()))
    return problems


def extend(value, base, point):
    return sha256(value + sha256(base + point))


def check_model(path):
    values = {'aggregate': bytes(32), 'base': bytes(32)}
    coefficients = []
    with open(path, encoding='ascii') as stream:
        for line in stream.read().split('\n'):
            word, _, value = line.partition(' ')
            if word in ('aggregate', 'base', 'state'):
                values[word] = digest(value)
            elif word == 'coefficient':
                coefficients.append(digest(value))
    state = extend(bytes(32), values['base'], values['aggregate'])
    for point in sorted(coefficients):
        state = extend(state, values['base'], point)
    print('state %s (%d coefficients)' % (state.hex(), len(coefficients)))
    if values.get('state') != state:
        print('%s: its state line says %s' % (path, values['state'].hex()
                                               if 'state' in values else 'nothing'))
        return 1
    return 0


def main(argv):
    if len(argv) == 3 and argv[1] == '--model':
        return check_model(argv[2])
    if len(argv) != 2:
        sys.stderr.write('usage: model-recompute.py EXPORT.jsonl | --model FILE\n')
        return 2
    stream = (sys.stdin if argv[1] == '-' else
              open(argv[1], encoding='utf-8', errors='surrogateescape'))
    events = mismatches = 0
    with stream:
        for number, line in enumerate(stream, 1):
            if not line.strip():
                continue
            events += 1
            try:
                problems = check(json.loads(line))
            except (KeyError, ValueError, TypeError) as error:
                problems = ['unreadable: %s: %s' % (type(error).__name__, error)]
            for problem in problems:
                print('%s:%d: %s' % (argv[1], number, problem))
            mismatches += bool(problems)
    print('%d events, %d mismatches' % (events, mismatches))
    return 0 if events and not mismatches else 1


if __name__ == '__main__':
    sys.exit(main(sys.argv))
