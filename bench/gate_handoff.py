#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
# canister: per-exec hand-off between an opener and a fanotify gate's reader, from `perf script` of sched events.
#
#   gate_handoff.py TRACE READER_COMM OPENER_COMM
#
# TRACE is `perf script -F comm,tid,cpu,time,event,trace` of sched_switch,
# sched_waking and sched_wakeup, recorded on every CPU while a loop forks
# children named OPENER_COMM that each exec a watched file once.  A child
# blocked in the gate is a switch-out of OPENER_COMM in state D shortly after
# it woke the reader (fanotify queues the event, wakes the group's readers,
# then waits killable); the reader is the thread named READER_COMM that woke
# such children most often (other gates on the machine answer others).  For each such exec: when the reader got a CPU, when
# it woke the child (its answer), and when the child ran again.  Prints the
# medians, quartiles and means of each step in microseconds, the share of
# execs whose reader ran on the child's CPU (a hand-off within one CPU: no
# inter-processor wake-up), and how often the reader was preempted at its
# answer by the child it had just answered.
import re
import sys

LINE = re.compile(r'^\s*(.*?)\s+(-?\d+)\s+\[(\d+)\]\s+([\d.]+):\s+sched:(\w+):\s+(.*)$')
FIELD = re.compile(r'(\w+)=(\S+)')
WAKE_TO_SLEEP_US = 1000  # the child sleeps right after it queued its event (a loaded CPU may delay it)


def events(path):
    with open(path, errors='replace') as trace:
        for line in trace:
            m = LINE.match(line)
            if m:
                _, tid, cpu, t, name, rest = m.groups()
                yield float(t) * 1e6, int(tid), int(cpu), name, dict(FIELD.findall(rest))


def summary(values):
    if not values:
        return 'none'
    v = sorted(values)
    n = len(v)
    return 'median %.1f (quartiles %.1f-%.1f), mean %.1f' % (v[n // 2], v[n // 4], v[3 * n // 4],
                                                              sum(v) / n)


def reader_of(path, reader_comm, comm):
    wakes = {}
    with open(path, errors='replace') as trace:
        for line in trace:
            m = LINE.match(line)
            if m and m.group(1) == reader_comm and m.group(5) == 'sched_waking' and \
                    ('comm=%s ' % comm) in m.group(6):
                tid = int(m.group(2))
                wakes[tid] = wakes.get(tid, 0) + 1
    return max(wakes, key=wakes.get) if wakes else None


def main():
    if len(sys.argv) != 4:
        sys.exit('usage: gate_handoff.py TRACE READER_COMM OPENER_COMM')
    path, comm = sys.argv[1], sys.argv[3]
    reader = reader_of(path, sys.argv[2], comm)
    if reader is None:
        sys.exit('gate_handoff.py: no %s thread woke a %s in %s' % (sys.argv[2], comm, path))
    woke_reader = {}  # child tid -> when it last woke the reader
    waiting = {}  # child tid -> its exec in the gate so far
    done = []
    preempted = 0
    answered_last = None
    for t, tid, cpu, name, f in events(path):
        if name == 'sched_waking':
            woken = int(f.get('pid', -1))
            if woken == reader:
                woke_reader[tid] = t
            elif tid == reader and woken in waiting and 'answer' not in waiting[woken]:
                waiting[woken]['answer'] = t
                answered_last = woken
        elif name == 'sched_switch':
            prev, nxt = int(f['prev_pid']), int(f['next_pid'])
            if f['prev_comm'] == comm and f['prev_state'].startswith('D'):
                woke = woke_reader.get(prev)
                if woke is not None and t - woke < WAKE_TO_SLEEP_US:
                    waiting[prev] = {'woke': woke, 'sleep': t, 'cpu': cpu}
            if prev == reader and f['prev_state'].startswith('R') and nxt == answered_last:
                preempted += 1
            if nxt == reader:
                for ex in waiting.values():
                    if 'reader' not in ex:
                        ex['reader'], ex['reader_cpu'] = t, cpu
            ex = waiting.get(nxt)
            if ex and 'answer' in ex:
                del waiting[nxt]
                if 'reader' in ex:
                    ex['resumed'] = t
                    done.append(ex)
    if not done:
        sys.exit('gate_handoff.py: no exec of %s answered by thread %d in %s' % (comm, reader, path))
    same = [ex for ex in done if ex['reader_cpu'] == ex['cpu']]
    print('%d execs through the gate; reader on the child\'s CPU in %d (%.0f%%); '
          'reader preempted at its answer by that child %d times (%.0f%%)' %
          (len(done), len(same), 100.0 * len(same) / len(done), preempted,
           100.0 * preempted / len(done)))
    print('  child blocked -> reader runs:  %s us' % summary([ex['reader'] - ex['sleep'] for ex in done]))
    print('  reader runs -> its answer:     %s us' % summary([ex['answer'] - ex['reader'] for ex in done]))
    print('  answer -> child runs again:    %s us' % summary([ex['resumed'] - ex['answer'] for ex in done]))
    print('  child blocked in the gate:     %s us' % summary([ex['resumed'] - ex['sleep'] for ex in done]))
    cross = [ex for ex in done if ex['reader_cpu'] != ex['cpu']]
    for label, part in (('one CPU', same), ('two CPUs', cross)):
        print('    hand-offs on %-8s %5d: blocked %s us' %
              (label, len(part), summary([ex['resumed'] - ex['sleep'] for ex in part])))


if __name__ == '__main__':
    main()
