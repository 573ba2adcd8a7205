#!/usr/bin/env python3
"""Whole-process comparison of Mosh for .NET against upstream mosh 1.4.0, side by side in one run.

For each pairing (server/client: ours/ours, upstream/upstream, ours/upstream, upstream/ours) a detached
`mosh-server new` runs bash with a fixed prompt, a UDP relay between client and server counts the bytes and
datagrams each way, and mosh-client runs in an 80x24 tmux pane (TERM=xterm-256color, LANG=C.UTF-8). Measured:

  * `seq 1 3000000`: wall time until the client's pane shows the line 3000000, server and client CPU seconds
    (its threads' run time from /proc/PID/task/*/schedstat, else utime+stime; the difference over the run plus a
    short settle), bytes on the wire each way;
  * 20 MB of SGR-coloured text (`cat` of a generated file): the same figures;
  * idle: CPU and datagrams/s each way over an idle interval;
  * VmHWM / VmRSS of server and client after the runs;
  * time from starting `mosh-server new` to its MOSH CONNECT line (median of N runs).

The environment passes through to every process, so runtime knobs can be tried on our side without a rebuild
(e.g. DOTNET_GCgen0size=100000, hex: a 1 MB gen0 budget; upstream ignores DOTNET_* variables). --smaps logs each
process's largest resident mappings.

Prints a Markdown table (ours | ours with history off | upstream, plus the mixed pairings), with upstream's server
CPU divided by each pairing's and the load average at the end. --repeat N runs each bulk workload N times per
pairing and shows medians (the machine is shared; single runs are noisy).
Usage: benchmarks/compare-upstream.py [--ours build/bin] [--idle 20] [--startup-runs 20] [--repeat 3]
                                      [--pairings oo,Oo,uu,ou,uo]
       benchmarks/compare-upstream.py --startup-only [--startup-runs 50]   (just the time to MOSH CONNECT, repeated)
"""

import argparse
import os
import random
import resource
import re
import select
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time

PROMPT = "bench$ "
CLK_TCK = os.sysconf("SC_CLK_TCK")
CONNECT_RE = re.compile(r"^MOSH CONNECT (\d+) ([A-Za-z0-9/+]{22})\s*$", re.M)
DETACHED_RE = re.compile(r"\[mosh-server detached, pid = (\d+)\]")
SHELL = ["/usr/bin/env", "PS1=" + PROMPT, "HISTFILE=/dev/null", "/bin/bash", "--norc", "--noprofile"]


def log(message):
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def cpu_seconds(pid):
    """CPU seconds of a process, or None once it is gone: the time its threads have run, in nanoseconds
    (/proc/PID/task/*/schedstat), where the kernel keeps it; else utime + stime, counted in clock ticks (10 ms,
    4 % of a 0.25 s run)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            stat = f.read()
    except OSError:
        return None
    try:
        total = 0
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/schedstat") as f:
                total += int(f.read().split()[0])
        if total > 0:
            return total / 1e9
    except (OSError, ValueError, IndexError):
        pass
    fields = stat[stat.rindex(")") + 2:].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK


def io_counters(pid):
    """The process's read/write syscall counts and bytes (/proc/PID/io), or zeros when unreadable."""
    result = {"syscr": 0, "syscw": 0, "rchar": 0, "wchar": 0}
    try:
        with open(f"/proc/{pid}/io") as f:
            for line in f:
                key, _, value = line.partition(":")
                if key in result:
                    result[key] = int(value)
    except OSError:
        pass
    return result


def memory_kb(pid):
    result = {}
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                key, _, value = line.partition(":")
                if key in ("VmHWM", "VmRSS", "RssAnon", "RssFile"):
                    result[key] = int(value.split()[0])
    except OSError:
        pass
    return result


class Relay:
    """UDP relay on 127.0.0.1: the client talks to `port`; datagrams go on to the server's port. Counts the
    payload bytes and datagrams each way. Follows the client's latest source address (roaming)."""

    def __init__(self, server_port):
        self.server = ("127.0.0.1", server_port)
        self.front = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.front.bind(("127.0.0.1", 0))
        self.back = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.back.bind(("127.0.0.1", 0))
        self.port = self.front.getsockname()[1]
        self.client = None
        self.lock = threading.Lock()
        self.up_bytes = self.up_datagrams = self.down_bytes = self.down_datagrams = 0
        self.running = True
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self):
        while self.running:
            readable, _, _ = select.select([self.front, self.back], [], [], 0.2)
            for sock in readable:
                try:
                    data, source = sock.recvfrom(65536)
                except OSError:
                    continue
                with self.lock:
                    if sock is self.front:
                        self.client = source
                        self.up_bytes += len(data)
                        self.up_datagrams += 1
                        target, out = self.server, self.back
                    else:
                        self.down_bytes += len(data)
                        self.down_datagrams += 1
                        target, out = self.client, self.front
                if target is not None:
                    try:
                        out.sendto(data, target)
                    except OSError:
                        pass

    def counters(self):
        with self.lock:
            return (self.up_bytes, self.up_datagrams, self.down_bytes, self.down_datagrams)

    def close(self):
        self.running = False
        self.thread.join(1)
        self.front.close()
        self.back.close()


def start_server(server_exe, workdir, command, server_env=None):
    """`mosh-server new -i 127.0.0.1 -- command` through files (the detached server keeps no pipe open).
    Returns (port, key, pid, seconds to MOSH CONNECT)."""
    out_path = os.path.join(workdir, "server.out")
    err_path = os.path.join(workdir, "server.err")
    env = dict(os.environ, LANG="C.UTF-8", **(server_env or {}))
    with open(out_path, "w") as out, open(err_path, "w") as err:
        started = time.perf_counter()
        subprocess.run([server_exe, "new", "-i", "127.0.0.1", "--", *command],
                       stdin=subprocess.DEVNULL, stdout=out, stderr=err, env=env, timeout=30, check=True)
        elapsed = time.perf_counter() - started
    text = open(out_path).read()
    errors = open(err_path).read()
    connect = CONNECT_RE.search(text)
    detached = DETACHED_RE.search(errors)
    if not connect or not detached:
        raise RuntimeError(f"{server_exe}: no MOSH CONNECT / detached pid\nstdout:{text}\nstderr:{errors}")
    return int(connect.group(1)), connect.group(2), int(detached.group(1)), elapsed


def kill(pid):
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    for _ in range(50):
        if cpu_seconds(pid) is None or zombie(pid):
            return
        time.sleep(0.05)
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def zombie(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            stat = f.read()
        return stat[stat.rindex(")") + 2] == "Z"
    except OSError:
        return True


def time_to_connect(servers, runs, workdir):
    """Median wall time and median CPU (utime+stime of the `mosh-server new` parent, which exits after printing
    MOSH CONNECT) per server; the servers take turns so that load changes hit them alike."""
    walls = {code: [] for code in servers}
    cpus = {code: [] for code in servers}
    for _ in range(runs):
        for code, server_exe in servers.items():
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            _, _, pid, elapsed = start_server(server_exe, workdir, ["/bin/sleep", "60"])
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            walls[code].append(elapsed)
            cpus[code].append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
            kill(pid)
    return ({code: statistics.median(v) for code, v in walls.items()},
            {code: statistics.median(v) for code, v in cpus.items()})


class Tmux:
    def __init__(self, workdir, argv, env):
        self.socket = os.path.join(workdir, "tmux.sock")
        full_env = dict(os.environ, LANG="C.UTF-8", **env)
        full_env.pop("TMUX", None)
        full_env.pop("TMUX_PANE", None)
        subprocess.run(["tmux", "-f", "/dev/null", "-S", self.socket,
                        "set-option", "-g", "remain-on-exit", "on", ";",
                        "set-option", "-g", "status", "off", ";",
                        "set-option", "-g", "default-terminal", "xterm-256color", ";",
                        "set-option", "-g", "history-limit", "2000", ";",
                        "new-session", "-d", "-s", "main", "-x", "80", "-y", "24", "-c", workdir,
                        "--", *argv], env=full_env, check=True)

    def run(self, *args):
        return subprocess.run(["tmux", "-S", self.socket, *args], capture_output=True, text=True,
                              check=True).stdout

    def pane_pid(self):
        return int(self.run("display-message", "-p", "-t", "main", "#{pane_pid}").strip())

    def server_pid(self):
        return int(self.run("display-message", "-p", "-t", "main", "#{pid}").strip())

    def screen(self):
        return self.run("capture-pane", "-p", "-t", "main")

    def type_line(self, text):
        self.run("send-keys", "-t", "main", "-l", "--", text)
        self.run("send-keys", "-t", "main", "Enter")

    def wait_for(self, predicate, what, timeout, interval=0.02):
        deadline = time.monotonic() + timeout
        last = ""
        while time.monotonic() < deadline:
            last = self.screen()
            if predicate(last):
                return time.monotonic()
            time.sleep(interval)
        raise TimeoutError(f"{what}; last screen:\n{last}")

    def close(self):
        subprocess.run(["tmux", "-S", self.socket, "kill-server"], capture_output=True)


def has_line(screen, line):
    return any(l.rstrip() == line for l in screen.split("\n"))


def shows_prompt(screen):
    lines = screen.rstrip().split("\n")
    return lines[-1] == PROMPT.rstrip()


SGR_RE = re.compile(r"\x1b\[([0-9;:]*)m")


def screen_cells(screen):
    """A `capture-pane -e` screen as rows of (character, rendition) cells, trailing blanks dropped whatever their
    colour. tmux's capture stops at the last cell written in a row (`cellused`), so cells cleared with a background
    colour after it show or not depending on what the row held before: two terminals showing the same screen can
    capture differently there, and only there."""
    rows, state = [], {}
    for line in screen.split("\n"):
        cells, at = [], 0
        for match in SGR_RE.finditer(line + "\x1b[m"):
            cells.extend((ch, tuple(sorted(state.items()))) for ch in line[at:match.start()])
            at = match.end()
            params = [int(p) if p.isdigit() else 0 for p in match.group(1).replace(":", ";").split(";")]
            i = 0
            while i < len(params):
                code = params[i]
                if code == 0:
                    state = {}
                elif code in (38, 48, 58) and i + 1 < len(params):
                    n = 3 if params[i + 1] == 2 else 1
                    state[code] = tuple(params[i + 1:i + 2 + n])
                    i += 1 + n
                elif code in (39, 49, 59):
                    state.pop(code - 1, None)
                elif 30 <= code <= 37 or 90 <= code <= 97:
                    state[38] = code
                elif 40 <= code <= 47 or 100 <= code <= 107:
                    state[48] = code
                elif 22 <= code <= 29:
                    state.pop(code - 20, None)  # 22 ends faint (2) and bold (1) alike
                    if code == 22:
                        state.pop(1, None)
                else:
                    state[code] = True
                i += 1
        while cells and cells[-1][0] == " ":
            cells.pop()
        rows.append(cells)
    while rows and not rows[-1]:
        rows.pop()
    return rows


def make_colour_file(path, size):
    """Deterministic SGR-coloured lines (256-colour and basic foreground/background, bold, underline) of about
    `size` bytes, under 80 columns of visible text each."""
    rng = random.Random(1234)
    words = ["mosh", "state", "sync", "terminal", "frame", "diff", "colour", "ssp", "udp", "predict",
             "λ", "näive", "日本", "→", "≠", "✓"]
    written = 0
    with open(path, "w", encoding="utf-8") as f:
        n = 0
        while written < size:
            parts = []
            visible = 0
            while visible < 70:
                word = rng.choice(words)
                sgr = rng.choice([f"38;5;{rng.randrange(256)}", f"3{rng.randrange(8)}",
                                  f"1;3{rng.randrange(8)}", f"4;9{rng.randrange(8)}",
                                  f"48;5;{rng.randrange(256)};38;5;{rng.randrange(256)}"])
                parts.append(f"\x1b[{sgr}m{word}\x1b[0m ")
                visible += len(word) * (2 if word == "日本" else 1) + 1
            line = f"{n:07d} " + "".join(parts) + "\n"
            f.write(line)
            written += len(line.encode("utf-8"))
            n += 1
    return written


def largest_mappings(pid, count=6):
    """The `count` mappings with the most resident memory, as "name size" strings (for --smaps)."""
    mappings, current = [], None
    try:
        with open(f"/proc/{pid}/smaps") as f:
            for line in f:
                first = line.split()[0]
                if "-" in first and not first.endswith(":"):
                    parts = line.split()
                    current = [parts[5] if len(parts) > 5 else "[anon]", parts[0], 0]
                    mappings.append(current)
                elif first == "Rss:" and current is not None:
                    current[2] = int(line.split()[1])
    except OSError:
        return []
    mappings.sort(key=lambda m: -m[2])
    return [f"{name} {span} {kb} kB" for name, span, kb in mappings[:count]]


def measure_bulk(tmux, relay, server_pid, client_pid, command, done_line, timeout, settle):
    """Types `command`, waits for a pane line equal to `done_line` and then the prompt; returns figures."""
    tmux.type_line("clear")
    tmux.wait_for(lambda s: s.strip() == PROMPT.strip(), "clear screen", 60)
    time.sleep(0.5)
    tmux_pid = tmux.server_pid()
    wait_idle((server_pid, client_pid, tmux_pid))
    cpu_s0, cpu_c0, cpu_t0 = cpu_seconds(server_pid), cpu_seconds(client_pid), cpu_seconds(tmux_pid)
    io0 = io_counters(server_pid)
    counters0 = relay.counters()
    started = time.monotonic()
    tmux.type_line(command)
    shown = tmux.wait_for(lambda s: has_line(s, done_line), f"line {done_line}", timeout)
    cpu_at_last_line = cpu_seconds(server_pid) - cpu_s0
    tmux.wait_for(shows_prompt, "prompt after the run", 60)
    time.sleep(settle)  # let the last frames and acks go out before reading the counters
    counters1 = relay.counters()
    io1 = io_counters(server_pid)
    server_cpu = cpu_seconds(server_pid) - cpu_s0
    # Then until the link is quiet: with history on, our server goes on sending the lines that scrolled off (the
    # next run must not pay for them, and what they cost is reported on its own).
    quiet = wait_quiet(relay)
    return {
        "screen": tmux.run("capture-pane", "-p", "-e", "-t", "main"),
        "quiet_after": quiet - shown,
        "server_cpu_to_quiet": cpu_seconds(server_pid) - cpu_s0,
        "down_bytes_to_quiet": relay.counters()[2] - counters0[2],
        "server_reads": io1["syscr"] - io0["syscr"],
        "server_read_bytes": io1["rchar"] - io0["rchar"],
        "wall": shown - started,
        "server_cpu": server_cpu,
        "server_cpu_at_last_line": cpu_at_last_line,
        "client_cpu": cpu_seconds(client_pid) - cpu_c0,
        "tmux_cpu": cpu_seconds(tmux_pid) - cpu_t0,
        "up_bytes": counters1[0] - counters0[0],
        "down_bytes": counters1[2] - counters0[2],
    }


def load_average():
    return " ".join(open("/proc/loadavg").read().split()[:3])


def median_run(runs):
    """The median of each figure over repeated runs (the last run's screen); `spread` keeps each figure's range."""
    merged = {"screen": runs[-1]["screen"], "spread": {}}
    for key in runs[0]:
        if key != "screen":
            values = [r[key] for r in runs]
            merged[key] = statistics.median(values)
            merged["spread"][key] = (min(values), max(values))
    return merged


def wait_idle(pids, window=0.25, most=0.002, timeout=30):
    """Waits until none of `pids` runs more than `most` CPU seconds in `window` seconds: a run starts on a machine
    where the previous one's tail (our client writing the history into tmux's scrollback, tmux digesting it) no
    longer competes for the two CPUs. The link going quiet is not enough: tmux works on after the last datagram."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        before = [cpu_seconds(pid) or 0.0 for pid in pids]
        time.sleep(window)
        after = [cpu_seconds(pid) or 0.0 for pid in pids]
        if all(b - a <= most for a, b in zip(before, after)):
            return
    log(f"processes still busy after {timeout} s; starting the run anyway")


def wait_quiet(relay, window=1.0, timeout=120):
    """Waits until the server sends at most one datagram (a heartbeat) in `window` seconds; returns that moment."""
    deadline = time.monotonic() + timeout
    last = relay.counters()[3]
    last_change = time.monotonic()
    while time.monotonic() < deadline:
        time.sleep(0.05)
        now = relay.counters()[3]
        if now - last > 1:
            last, last_change = now, time.monotonic()
        elif time.monotonic() - last_change >= window:
            return last_change
    raise TimeoutError("the link never went quiet")


def measure_idle(relay, server_pid, client_pid, seconds):
    time.sleep(2)
    cpu_s0, cpu_c0 = cpu_seconds(server_pid), cpu_seconds(client_pid)
    counters0 = relay.counters()
    started = time.monotonic()
    time.sleep(seconds)
    elapsed = time.monotonic() - started
    counters1 = relay.counters()
    return {
        "server_cpu": cpu_seconds(server_pid) - cpu_s0,
        "client_cpu": cpu_seconds(client_pid) - cpu_c0,
        "up_dps": (counters1[1] - counters0[1]) / elapsed,
        "down_dps": (counters1[3] - counters0[3]) / elapsed,
        "up_bytes": counters1[0] - counters0[0],
        "down_bytes": counters1[2] - counters0[2],
    }


def run_pairing(name, server_exe, client_exe, colour_path, plain_path, args, server_env=None):
    workdir = tempfile.mkdtemp(prefix="mosh-compare-")
    port, key, server_pid, _ = start_server(server_exe, workdir, SHELL, server_env)
    relay = Relay(port)
    tmux = Tmux(workdir, ["/bin/sh", "-c", 'exec "$0" 127.0.0.1 "$1"', client_exe, str(relay.port)],
                {"MOSH_KEY": key, "TERM": "xterm-256color"})
    result = {"name": name}
    try:
        client_pid = tmux.pane_pid()
        tmux.wait_for(shows_prompt, "first prompt", 60, 0.1)
        for key, command, done_line in (("seq", "seq 1 3000000", "3000000"),
                                        ("colour", f"cat {colour_path}; echo COLOUR-DONE", "COLOUR-DONE"),
                                        ("plain", f"cat {plain_path}; echo PLAIN-DONE", "PLAIN-DONE")):
            if key not in args.workloads.split(","):
                continue
            runs = []
            for i in range(args.repeat):
                log(f"{name}: {command} (run {i + 1} of {args.repeat}, load {load_average()})")
                runs.append(measure_bulk(tmux, relay, server_pid, client_pid, command, done_line,
                                         args.timeout, args.settle))
                log(f"{name}: { {k: v for k, v in runs[-1].items() if k != 'screen'} }")
            result[key] = median_run(runs)
            if args.screens:
                os.makedirs(args.screens, exist_ok=True)
                safe = name.replace(" ", "").replace("/", "-").replace("(", "").replace(")", "")
                with open(os.path.join(args.screens, f"{safe}-{key}.txt"), "w") as f:
                    f.write(runs[-1]["screen"])
        tmux.type_line("clear")
        tmux.wait_for(lambda s: s.strip() == PROMPT.strip(), "clear screen", 60)
        log(f"{name}: idle {args.idle} s")
        result["idle"] = measure_idle(relay, server_pid, client_pid, args.idle)
        log(f"{name}: {result['idle']}")
        result["server_mem"] = memory_kb(server_pid)
        result["client_mem"] = memory_kb(client_pid)
        log(f"{name}: server {result['server_mem']} client {result['client_mem']}")
        if args.smaps:
            log(f"{name}: server's largest mappings: {largest_mappings(server_pid)}")
            log(f"{name}: client's largest mappings: {largest_mappings(client_pid)}")
    finally:
        tmux.close()
        kill(server_pid)
        relay.close()
        shutil.rmtree(workdir, ignore_errors=True)
    return result


def fmt_mb(kb):
    return f"{kb / 1024:.1f} MB" if kb else "?"


def table(results, connect, connect_cpu, load_before, load_after, colour_bytes, args):
    order = [r for r in results if r]
    header = "| Measure | " + " | ".join(r["name"] for r in order) + " |"
    rows = [header, "|---" * (len(order) + 1) + "|"]

    def row(label, fn):
        cells = []
        for r in order:
            try:
                cells.append(fn(r))
            except (KeyError, TypeError, IndexError):
                cells.append("failed")
        rows.append(f"| {label} | " + " | ".join(cells) + " |")

    reference = next((r for r in order if r["name"] == "upstream / upstream" and ("seq" in r or "colour" in r or "plain" in r)), None)

    def spread(figures, key, digits=2):
        low, high = figures["spread"][key]
        return f" ({low:.{digits}f}-{high:.{digits}f})" if args.repeat > 1 else ""

    for key, label in (("seq", "`seq 1 3000000`"), ("colour", f"{colour_bytes / 1e6:.0f} MB coloured text"),
                       ("plain", "`cat` of seq's output (a fast writer)")):
        if not any(key in r for r in order):
            continue
        row(f"{label}: time to last line", lambda r, k=key: f"{r[k]['wall']:.2f} s" + spread(r[k], "wall"))
        row(f"{label}: server CPU", lambda r, k=key: f"{r[k]['server_cpu']:.3f} s" + spread(r[k], "server_cpu", 3))
        if reference is not None:
            row(f"{label}: upstream / upstream's server CPU ÷ this",
                lambda r, k=key: f"{reference[k]['server_cpu'] / r[k]['server_cpu']:.1f}x")
        row(f"{label}: server read() calls / bytes per call",
            lambda r, k=key: f"{r[k]['server_reads']:.0f} / {r[k]['server_read_bytes'] / max(1, r[k]['server_reads']):.0f}")
        row(f"{label}: client CPU", lambda r, k=key: f"{r[k]['client_cpu']:.2f} s")
        row(f"{label}: tmux CPU (the client's terminal)", lambda r, k=key: f"{r[k]['tmux_cpu']:.2f} s")
        row(f"{label}: bytes server→client", lambda r, k=key: f"{r[k]['down_bytes'] / 1000:.1f} kB")
        row(f"{label}: bytes client→server", lambda r, k=key: f"{r[k]['up_bytes'] / 1000:.1f} kB")
        row(f"{label}, until the link is quiet (history caught up): time after the last line / server CPU / bytes server→client",
            lambda r, k=key: f"{r[k]['quiet_after']:.1f} s / {r[k]['server_cpu_to_quiet']:.2f} s"
                             + spread(r[k], "server_cpu_to_quiet") + f" / {r[k]['down_bytes_to_quiet'] / 1000:.1f} kB")
    row(f"idle {args.idle} s: server CPU", lambda r: f"{r['idle']['server_cpu']:.2f} s")
    row(f"idle {args.idle} s: client CPU", lambda r: f"{r['idle']['client_cpu']:.2f} s")
    row("idle: datagrams/s server→client", lambda r: f"{r['idle']['down_dps']:.2f}")
    row("idle: datagrams/s client→server", lambda r: f"{r['idle']['up_dps']:.2f}")
    for key, label in (("seq", "`seq`"), ("colour", "coloured text"), ("plain", "`cat` of seq's output")):
        if not any(key in r for r in order):
            continue
        row(f"{label}: final screen (with colours) same as upstream / upstream's",
            lambda r, k=key: "yes" if screen_cells(r[k]["screen"]) == screen_cells(reference[k]["screen"]) else "NO")
    row("server VmHWM / VmRSS", lambda r: f"{fmt_mb(r['server_mem']['VmHWM'])} / {fmt_mb(r['server_mem']['VmRSS'])}")
    row("client VmHWM / VmRSS", lambda r: f"{fmt_mb(r['client_mem']['VmHWM'])} / {fmt_mb(r['client_mem']['VmRSS'])}")
    row("server RssAnon / RssFile (after)", lambda r: f"{fmt_mb(r['server_mem']['RssAnon'])} / {fmt_mb(r['server_mem']['RssFile'])}")
    row("client RssAnon / RssFile (after)", lambda r: f"{fmt_mb(r['client_mem']['RssAnon'])} / {fmt_mb(r['client_mem']['RssFile'])}")
    row(f"`mosh-server new` to MOSH CONNECT (median of {args.startup_runs}) [server's]",
        lambda r: f"{connect[r['server_side']] * 1000:.1f} ms")
    row("`mosh-server new` parent's CPU (median) [server's]", lambda r: f"{connect_cpu[r['server_side']] * 1000:.0f} ms")
    print()
    print("\n".join(rows))
    print()
    if args.repeat > 1:
        print(f"Bulk figures are medians of {args.repeat} runs (range in brackets).")
    print(f"Columns are server / client. Load average (1/5/15 min) before: {load_before}; after: {load_after}; "
          f"{os.cpu_count()} CPUs. Bytes are UDP payload through a counting relay; CPU is the threads' run time (schedstat, ns).")


def main():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--ours", default=os.path.join(root, "build", "bin"), help="directory of our binaries")
    parser.add_argument("--upstream", default="/usr/bin", help="directory of upstream's binaries")
    parser.add_argument("--idle", type=float, default=20, help="idle interval, seconds")
    parser.add_argument("--startup-runs", type=int, default=20)
    parser.add_argument("--startup-only", action="store_true",
                        help="measure only the time to MOSH CONNECT (ours and upstream taking turns) and stop")
    parser.add_argument("--colour-mb", type=float, default=20)
    parser.add_argument("--timeout", type=float, default=300, help="per bulk run, seconds")
    parser.add_argument("--settle", type=float, default=1.0, help="wait after the prompt returns, seconds")
    parser.add_argument("--smaps", action="store_true", help="log each process's largest resident mappings")
    parser.add_argument("--pairings", default="oo,Oo,uu,ou,uo",
                        help="server/client: o = ours, u = upstream, O = our server with its scrollback history off "
                             "(MOSH_SERVER_HISTORY=0) (default oo,Oo,uu,ou,uo)")
    parser.add_argument("--screens", help="write each pairing's final screen per workload (capture-pane -e) here")
    parser.add_argument("--workloads", default="seq,colour",
                        help="bulk workloads to run: seq, colour, plain (`cat` of a file holding seq's output, "
                             "written as fast as the pty takes it) (default seq,colour)")
    parser.add_argument("--repeat", type=int, default=1,
                        help="bulk runs per pairing; the table shows medians (default 1)")
    args = parser.parse_args()

    sides = {"o": ("ours", args.ours), "u": ("upstream", args.upstream),
             "O": ("ours (history off)", args.ours)}
    for label, directory in sides.values():
        for program in ("mosh-server", "mosh-client"):
            if not os.access(os.path.join(directory, program), os.X_OK):
                sys.exit(f"missing {label} {program} in {directory} (run `make publish`)")

    load_before = load_average()
    workdir = tempfile.mkdtemp(prefix="mosh-compare-data-")
    try:
        colour_path = os.path.join(workdir, "colour.txt")
        colour_bytes = 0 if args.startup_only else make_colour_file(colour_path, int(args.colour_mb * 1e6))
        plain_path = os.path.join(workdir, "plain.txt")
        if "plain" in args.workloads.split(","):
            with open(plain_path, "w") as f:
                f.write("".join(f"{n}\n" for n in range(1, 3000001)))
        servers = {code: os.path.join(sides[code][1], "mosh-server")
                   for code in sorted({p[0].lower() for p in args.pairings.split(",")})}
        log(f"time to MOSH CONNECT, {args.startup_runs} runs each")
        connect, connect_cpu = time_to_connect(servers, args.startup_runs, workdir)
        log(f"wall {connect}, parent's CPU {connect_cpu}")
        if args.startup_only:
            for code in servers:
                print(f"{sides[code][0]}: `mosh-server new` to MOSH CONNECT {connect[code] * 1000:.1f} ms (median of "
                      f"{args.startup_runs}), parent's CPU {connect_cpu[code] * 1000:.1f} ms")
            return
        results = []
        for pairing in args.pairings.split(","):
            (server_label, server_dir), (client_label, client_dir) = sides[pairing[0]], sides[pairing[1]]
            name = f"{server_label} / {client_label}"
            try:
                r = run_pairing(name, os.path.join(server_dir, "mosh-server"),
                                os.path.join(client_dir, "mosh-client"), colour_path, plain_path, args,
                                {"MOSH_SERVER_HISTORY": "0"} if pairing[0] == "O" else None)
            except Exception as error:  # report and go on with the other pairings
                log(f"{name} FAILED: {error}")
                r = {"name": name}
            r["server_side"] = pairing[0].lower()
            results.append(r)
        load_after = load_average()
        table(results, connect, connect_cpu, load_before, load_after, colour_bytes, args)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
