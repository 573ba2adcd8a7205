using System.Diagnostics;
using System.Globalization;
using Mosh.Terminal;
using Mosh.Util;

namespace Mosh.EndToEnd.Prediction;

/// <summary>
/// A mosh-client (ours or upstream's) on a pseudo-terminal the test owns: keystrokes are written to the master,
/// and everything the client draws is read on a dedicated thread and fed to our own <see cref="Emulator"/>, the
/// screen the user would see. Conditions on that screen (<see cref="Watch"/>) are checked after every chunk the
/// client writes, so the moment a keystroke becomes visible is known to within one read, without polling.
/// </summary>
internal sealed class PtyClient : IDisposable
{
    public const int Width = 80;
    public const int Height = 24;

    private readonly object _gate = new();
    private readonly PseudoTerminal _pty;
    private readonly ChildProcess _child;
    private readonly Emulator _screen = new(Width, Height);
    private readonly List<ScreenWatch> _watches = [];
    private readonly Thread _reader;

    private PtyClient(PseudoTerminal pty, ChildProcess child)
    {
        _pty = pty;
        _child = child;
        _reader = new Thread(ReadLoop) { IsBackground = true, Name = "pty client reader" };
        _reader.Start();
    }

    /// <summary>Starts <paramref name="clientPath"/> against 127.0.0.1:<paramref name="port"/> on a new 80x24 pty.</summary>
    /// <param name="environment">More NAME=value entries (e.g. MOSH_PREDICTION_DISPLAY=never).</param>
    public static PtyClient Start(string clientPath, int port, string key, params string[] environment) =>
        StartWithOptions(clientPath, [], port, key, environment);

    /// <summary>As <see cref="Start"/>, with options before the address (e.g. <c>-L</c> specs).</summary>
    public static PtyClient StartWithOptions(string clientPath, IReadOnlyList<string> options, int port, string key,
        IReadOnlyList<string> environment)
    {
        PseudoTerminal pty = PseudoTerminal.Open();
        try
        {
            pty.WindowSize = new WindowSize((ushort)Height, (ushort)Width);
            pty.EnableUtf8();
            List<string> env = ["MOSH_KEY=" + key, "LANG=C.UTF-8", "TERM=xterm-256color", "HOME=/tmp", .. environment];
            ChildProcess child = ChildProcess.Start(clientPath,
                [clientPath, .. options, "127.0.0.1", port.ToString(CultureInfo.InvariantCulture)], env, pty.SlavePath);
            return new PtyClient(pty, child);
        }
        catch
        {
            pty.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Runs the screen model's code paths (parsing, row text, the watch loop) until the runtime has optimised
    /// them, so the first client measured does not pay for this process's JIT warm-up in its echo times.
    /// </summary>
    public static async Task WarmUpAsync()
    {
        byte[] frame = "\e[?25l\e[1;14Hab\e[1;24H\e[?25h\e[0;4mx\e[0m\r\ne2e$ echo abc\e[K\b\b"u8.ToArray();
        var screen = new Emulator(Width, Height);
        var watch = new ScreenWatch(fb => fb.GetRow(fb.State.CursorRow).ToString().StartsWith("never", StringComparison.Ordinal));
        for (int round = 0; round < 3; round++)
        {
            for (int i = 0; i < 500; i++)
            {
                screen.Write(frame);
                screen.ClearTerminalToHost();
                watch.Check(screen.Framebuffer, Stopwatch.GetTimestamp());
            }

            // Tiered compilation promotes hot methods in the background after a quiet spell.
            await Task.Delay(200).ConfigureAwait(false);
        }
    }

    /// <summary>The screen as text, one line per row.</summary>
    public string ScreenText()
    {
        lock (_gate)
        {
            return _screen.Framebuffer.ToString();
        }
    }

    /// <summary>Runs <paramref name="read"/> on the screen model while no client output is being applied.</summary>
    public T Inspect<T>(Func<Framebuffer, T> read)
    {
        lock (_gate)
        {
            return read(_screen.Framebuffer);
        }
    }

    /// <summary>
    /// Starts watching for <paramref name="condition"/>: the watch records the first moment (Stopwatch ticks) the
    /// screen satisfied it, checked now and after every chunk of the client's output.
    /// </summary>
    public ScreenWatch Watch(Func<Framebuffer, bool> condition)
    {
        var watch = new ScreenWatch(condition);
        lock (_gate)
        {
            watch.Check(_screen.Framebuffer, Stopwatch.GetTimestamp());
            if (!watch.Seen)
            {
                _watches.Add(watch);
            }
        }

        return watch;
    }

    /// <summary>Waits until <paramref name="condition"/> holds on the screen; the screen is in the failure message.</summary>
    public async Task WaitForAsync(Func<Framebuffer, bool> condition, TimeSpan timeout, string what)
    {
        ScreenWatch watch = Watch(condition);
        var deadline = Stopwatch.StartNew();
        while (!watch.Seen)
        {
            if (deadline.Elapsed > timeout || HasExited)
            {
                lock (_gate)
                {
                    _watches.Remove(watch);
                }

                Assert.Fail($"Timed out after {timeout.TotalSeconds:0.#} s waiting for {what}. Screen:\n{ScreenText()}");
            }

            await Task.Delay(5).ConfigureAwait(false);
        }
    }

    /// <summary>Types bytes as the user would (one write to the pty master) and returns when, in Stopwatch ticks.</summary>
    public long Type(ReadOnlySpan<byte> keys)
    {
        long at = Stopwatch.GetTimestamp();
        Assert.That(_pty.WriteAll(keys), Is.True, "the client's terminal is gone");
        return at;
    }

    public bool HasExited => _child.TryWait(out _);

    public void Dispose()
    {
        _child.Signal(Signals.SIGKILL);
        _child.WaitForExit();
        _reader.Join(TimeSpan.FromSeconds(5));
        _pty.Dispose();
    }

    private void ReadLoop()
    {
        var buffer = new byte[16384];
        try
        {
            while (_pty.TryRead(buffer, out int read) && read > 0)
            {
                lock (_gate)
                {
                    _screen.Write(buffer.AsSpan(0, read));
                    _screen.ClearTerminalToHost();
                    long now = Stopwatch.GetTimestamp();
                    for (int i = _watches.Count - 1; i >= 0; i--)
                    {
                        if (_watches[i].Check(_screen.Framebuffer, now))
                        {
                            _watches.RemoveAt(i);
                        }
                    }
                }
            }
        }
        catch (IOException)
        {
            // The master was closed under us at disposal.
        }
    }
}

/// <summary>A condition on the client's screen and the first moment it held.</summary>
internal sealed class ScreenWatch(Func<Framebuffer, bool> condition)
{
    private long _seenAt = -1;

    public bool Seen => Volatile.Read(ref _seenAt) >= 0;

    /// <summary>Stopwatch ticks of the first chunk after which the condition held; -1 if never.</summary>
    public long SeenAt => Volatile.Read(ref _seenAt);

    /// <summary>ms from <paramref name="since"/> (Stopwatch ticks) until the condition first held; null if never.</summary>
    public double? MillisecondsAfter(long since) =>
        Seen ? Stopwatch.GetElapsedTime(since, SeenAt).TotalMilliseconds : null;

    internal bool Check(Framebuffer screen, long now)
    {
        if (Seen || !condition(screen))
        {
            return Seen;
        }

        Volatile.Write(ref _seenAt, now);
        return true;
    }
}
