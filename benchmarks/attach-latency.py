#!/usr/bin/env python3
"""Time to take a session over, on loopback, ours at both ends.

Starts one session with `mosh-server new` (its own XDG_RUNTIME_DIR), prints `before` in its shell through a first
client, SIGKILLs that client, then N times: runs `mosh-server attach PID` (timed: process start, the control-socket
exchange, the new key) and starts a new `mosh-client` on a pseudo-terminal with the printed key, timing from its
start until its output holds `before` (its own start, one round trip, the full repaint), then SIGKILLs it. The sum
is what `mosh --attach` adds after its ssh login. Figures mean something only on a quiet machine: the load average
is printed with them.

Usage: benchmarks/attach-latency.py [--rounds N] [--bin DIR]   (DIR defaults to $MOSH_BIN_DIR or build/bin)
"""
import argparse
import fcntl
import os
import pty
import re
import select
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time

CONNECT = re.compile(rb"MOSH CONNECT (\d+) ([A-Za-z0-9/+]{22})")


def client(bin_dir, port, key, env):
    """A mosh-client on a fresh pseudo-terminal; returns (pid, master fd)."""
    pid, fd = pty.fork()
    if pid == 0:
        fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
        os.environ.update(env)
        os.environ["MOSH_KEY"] = key
        os.execv(os.path.join(bin_dir, "mosh-client"), ["mosh-client", "127.0.0.1", str(port)])
    return pid, fd


def read_until(fd, needle, timeout):
    """Reads the client's terminal output until it holds needle; returns the seconds it took, or None."""
    start = time.monotonic()
    seen = b""
    while time.monotonic() - start < timeout:
        ready, _, _ = select.select([fd], [], [], 0.01)
        if ready:
            try:
                seen += os.read(fd, 65536)
            except OSError:
                return None
            if needle in seen:
                return time.monotonic() - start
    return None


def kill(pid, fd):
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    os.close(fd)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--bin", default=os.environ.get("MOSH_BIN_DIR", "build/bin"))
    args = parser.parse_args()
    bin_dir = os.path.abspath(args.bin)
    server = os.path.join(bin_dir, "mosh-server")

    runtime = tempfile.mkdtemp(prefix="mosh-attach-bench-")
    env = {"XDG_RUNTIME_DIR": runtime, "LANG": "C.UTF-8", "TERM": "xterm-256color", "PS1": "$ "}
    full_env = dict(os.environ, **env)
    started = subprocess.run([server, "new", "-s", "-c", "8", "--", "/bin/sh"], env=full_env,
                             capture_output=True, timeout=30)
    m = CONNECT.search(started.stdout)
    if not m:
        sys.exit("mosh-server new printed no MOSH CONNECT line:\n" + started.stdout.decode() + started.stderr.decode())
    port, key = int(m.group(1)), m.group(2).decode()
    pid_match = re.search(rb"pid = (\d+)", started.stderr)
    if not pid_match:
        sys.exit("mosh-server new printed no pid:\n" + started.stderr.decode())
    session = pid_match.group(1).decode()

    attach_times, screen_times = [], []
    try:
        first, fd = client(bin_dir, port, key, env)
        if read_until(fd, b"$", 20) is None:
            sys.exit("the first client never showed the prompt")
        os.write(fd, b"echo be''fore\r")
        if read_until(fd, b"before", 20) is None:
            sys.exit("the first client never showed 'before'")
        kill(first, fd)

        for _ in range(args.rounds):
            t0 = time.monotonic()
            attached = subprocess.run([server, "attach", session], env=full_env, capture_output=True, timeout=30)
            attach_times.append(time.monotonic() - t0)
            m = CONNECT.search(attached.stdout)
            if not m:
                sys.exit("attach failed:\n" + attached.stderr.decode())
            pid, fd = client(bin_dir, int(m.group(1)), m.group(2).decode(), env)
            shown = read_until(fd, b"before", 20)
            kill(pid, fd)
            if shown is None:
                sys.exit("the new client never showed the old screen")
            screen_times.append(shown)
    finally:
        subprocess.run([server, "kill", session], env=full_env, capture_output=True, timeout=30)
        subprocess.run(["rm", "-rf", runtime])

    def describe(values):
        ms = sorted(v * 1000 for v in values)
        return f"median {statistics.median(ms):.0f} ms (min {ms[0]:.0f}, max {ms[-1]:.0f})"

    totals = [a + s for a, s in zip(attach_times, screen_times)]
    with open("/proc/loadavg") as f:
        load = " ".join(f.read().split()[:3])
    print(f"{args.rounds} attaches, load average {load}")
    print(f"  mosh-server attach:                  {describe(attach_times)}")
    print(f"  new client start to the old screen:  {describe(screen_times)}")
    print(f"  both (what mosh --attach adds to the ssh login): {describe(totals)}")


if __name__ == "__main__":
    main()
