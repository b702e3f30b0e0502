#!/usr/bin/python3
"""afl-live.py DIR NAME...: live figures of running afl-fuzz instances, through AFL++'s StatsD output.

AFL++ rewrites fuzzer_stats about once a minute and its plot_data only after the first minute, so
a progress line read from them shows stale figures. With AFL_STATSD=1 each instance sends its
counters about once a second as UDP datagrams ("fuzzing.execs_done:123|g" lines). This listens on
one loopback port per instance NAME (printed as "NAME PORT" lines on stdout before anything else),
and keeps DIR/NAME holding that instance's latest counters as "key value" lines (replaced
atomically, so a reader never sees half a file). It ignores SIGINT (the runner stops it) and
exits when its parent goes, so an interrupted run never leaves it behind.
"""
import os
import select
import signal
import socket
import sys


def parse(datagram):
    """StatsD gauges -> {name: value}; anything else in the datagram is ignored."""
    out = {}
    for line in datagram.decode("ascii", "replace").splitlines():
        key, sep, rest = line.partition(":")
        value = rest.split("|", 1)[0]
        if sep and key.startswith("fuzzing."):
            out[key[len("fuzzing."):]] = value
    return out


def main():
    if len(sys.argv) < 3:
        sys.exit("usage: afl-live.py DIR NAME...")
    folder, names = sys.argv[1], sys.argv[2:]
    # Ctrl-C reaches the runner's whole process group; the runner decides when this stops.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    os.makedirs(folder, exist_ok=True)
    parent = os.getppid()
    socks = {}
    for name in names:
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.bind(("127.0.0.1", 0))
        socks[s] = name
        print(name, s.getsockname()[1])
    sys.stdout.flush()
    sys.stdout.close()
    while os.getppid() == parent:
        ready, _, _ = select.select(list(socks), [], [], 1.0)
        for s in ready:
            figures = parse(s.recv(65536))
            if not figures:
                continue
            path = os.path.join(folder, socks[s])
            with open(path + ".tmp", "w") as f:
                f.writelines(f"{k} {v}\n" for k, v in figures.items())
            os.replace(path + ".tmp", path)


if __name__ == "__main__":
    main()
