using System.Diagnostics;
using Mosh.EndToEnd.Harness;
using Mosh.Terminal;

namespace Mosh.EndToEnd.Prediction;

/// <summary>
/// Types a <see cref="TypingWorkload"/> into a mosh-client (ours or upstream's) on a pseudo-terminal whose output
/// feeds our emulator (<see cref="PtyClient"/>), against a mosh-server (ours or upstream's) through the UDP relay.
/// Per key it measures the time until the client's screen shows the line up to that key with the cursor past
/// it; per line it counts the wrong screens seen while typing (the typed row showing text that is not a prefix
/// of what the server ends up with, or another row changing), how long each spell of such screens lasted until the
/// screen was right again, and, once the line has settled (exactly the server's text, cursor at its end, nothing
/// underlined), records anything still wrong.
/// </summary>
internal sealed class TypingSession
{
    /// <summary>Pause used where the session waits for the application (e.g. before quitting vim).</summary>
    public const int KeyIntervalMs = 100;

    /// <summary>Shortest and longest gap between two keys of a line. A typist's rhythm varies; a fixed one would
    /// beat in step with the transport's timers (a key typed just after the client's 100 ms delayed ack waits for
    /// the 20 ms frame interval), favouring whichever echo delay happens to fall outside that step.</summary>
    public const int MinKeyGapMs = 80;

    public const int MaxKeyGapMs = 200;

    /// <summary>How the keys are spaced, for table titles.</summary>
    public static string Rhythm => $"keys {MinKeyGapMs}-{MaxKeyGapMs} ms apart (same seeded rhythm for every run)";

    /// <summary>ms between the screen showing where a line goes and its first key (the user looks, then types).</summary>
    public const int ThinkMs = 250;

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30 * Poll.TimeoutScale);

    private readonly PtyClient _client;
    private readonly string _name;
    private readonly List<KeyLatency> _keys = [];
    private readonly Random _rhythm = new(20261125); // the same key gaps in every session
    private readonly List<string> _wrongLeft = [];
    private readonly List<double> _wrongSpells = [];
    private int _mispredictions;
    private int _line;

    private TypingSession(PtyClient client, string name)
    {
        _client = client;
        _name = name;
    }

    /// <summary>Runs one session: a fresh server and relay, the client, the workload, then everything is torn down.</summary>
    /// <param name="environment">More NAME=value entries for the client (e.g. MOSH_PREDICTION_DISPLAY=never).</param>
    public static Task<EchoLatencies> RunAsync(string name, string clientPath, string serverPath, NetworkCondition network,
        TypingWorkload workload, params string[] environment) =>
        RunAsync(name, clientPath, serverPath, network, workload, new TypingOptions { Environment = environment });

    /// <summary>As above, with client options and work started once the prompt shows (e.g. a forwarded transfer).</summary>
    public static async Task<EchoLatencies> RunAsync(string name, string clientPath, string serverPath, NetworkCondition network,
        TypingWorkload workload, TypingOptions options)
    {
        await using MoshServer server = await MoshServer.StartAsync(serverPath);
        using UdpRelay relay = UdpRelay.Start(server.Port);
        relay.Impair(network.Impairment);
        using PtyClient client = PtyClient.StartWithOptions(clientPath, options.ClientOptions, relay.Port, server.Key, options.Environment);
        var session = new TypingSession(client, name);
        await client.WaitForAsync(ShowsPromptAtCursor, Timeout, $"the shell prompt ({name})");
        if (options.OnceReady is { } onceReady)
        {
            await onceReady(client);
        }

        foreach (string line in workload.SetupLines)
        {
            await session.TypeShellLineAsync(line, line, expectOutput: "", measured: false);
        }

        foreach (string line in workload.ShellLines)
        {
            string settled = workload.SettledText(line);
            await session.TypeShellLineAsync(line, settled, expectOutput: settled["echo ".Length..]);
        }

        if (workload.VimLines.Count > 0)
        {
            await session.TypeShellLineAsync(TypingWorkload.VimCommand, TypingWorkload.VimCommand, expectOutput: null);
            await client.WaitForAsync(screen => screen.State.CursorRow == 0 && screen.State.CursorColumn == 0
                && screen.GetRow(1).ToString().TrimEnd() == "~", Timeout, $"vim's empty buffer ({name})");
            client.Type("i"u8);
            await client.WaitForAsync(screen => screen.GetRow(screen.Height - 1).ToString().Contains("-- INSERT --", StringComparison.Ordinal),
                Timeout, $"vim's insert mode ({name})");
            for (int i = 0; i < workload.VimLines.Count; i++)
            {
                int row = i;
                await client.WaitForAsync(screen => screen.State.CursorRow == row && screen.State.CursorColumn == 0
                    && screen.GetRow(row).ToString().TrimEnd().Length == 0, Timeout, $"vim's cursor on line {row + 1} ({name})");
                // vim's status row changes by itself (the mode, "[+]"), so it is not watched.
                await session.TypeLineAsync(row, prefix: "", workload.VimLines[i], workload.VimLines[i], ignoredRow: PtyClient.Height - 1);
                client.Type(i < workload.VimLines.Count - 1 ? "\r"u8 : "\e"u8);
            }

            await Task.Delay(KeyIntervalMs);
            client.Type(":q!\r"u8);
            await client.WaitForAsync(ShowsPromptAtCursor, Timeout, $"the shell prompt after vim ({name})");
        }

        if (options.BeforeTeardown is { } beforeTeardown)
        {
            await beforeTeardown(client);
        }

        return new EchoLatencies(name, session._keys, session._mispredictions, session._wrongLeft, session._wrongSpells);
    }

    /// <summary>
    /// Types a command line at the prompt, checks it settles on <paramref name="settled"/>, runs it and waits for its
    /// output (one row; empty: none, the prompt follows on the next row; null: not waited for) and the next prompt.
    /// </summary>
    private async Task TypeShellLineAsync(string line, string settled, string? expectOutput, bool measured = true)
    {
        await _client.WaitForAsync(ShowsPromptAtCursor, Timeout, $"the prompt ({_name})");
        int row = _client.Inspect(screen => screen.State.CursorRow);
        await TypeLineAsync(row, TestShell.Prompt, line, settled, ignoredRow: -1, measured);
        _client.Type("\r"u8);
        if (expectOutput is { Length: 0 })
        {
            await _client.WaitForAsync(screen => ShowsPromptAtCursor(screen) && screen.State.CursorRow == row + 1,
                Timeout, $"the prompt right after `{line}` ({_name})");
        }
        else if (expectOutput is not null)
        {
            await _client.WaitForAsync(screen => screen.GetRow(row + 1).ToString().TrimEnd() == expectOutput
                && ShowsPromptAtCursor(screen) && screen.State.CursorRow == row + 2, Timeout, $"the output of `{line}` and the next prompt ({_name})");
        }
    }

    /// <summary>
    /// Types <paramref name="text"/> key by key on <paramref name="row"/>, after <paramref name="prefix"/> (already
    /// shown), timing each key (unless not <paramref name="measured"/>) until the screen shows it as
    /// <paramref name="settled"/> has it, then waits until the line settles and checks the whole screen.
    /// </summary>
    private async Task TypeLineAsync(int row, string prefix, string text, string settled, int ignoredRow, bool measured = true)
    {
        Assert.That(settled, Has.Length.EqualTo(text.Length), $"`{text}` must settle on one character per key");
        string final = prefix + settled;
        string[] before = _client.Inspect(screen => RowTexts(screen));
        var wrongScreens = new WrongScreenWatch(row, final, before, ignoredRow);
        _client.Watch(wrongScreens.Check);

        await Task.Delay(ThinkMs); // the user sees where the line goes, then starts typing
        var typedAt = new long[text.Length];
        var shown = new ScreenWatch[text.Length];
        long start = Stopwatch.GetTimestamp();
        int due = 0;
        for (int i = 0; i < text.Length; i++)
        {
            string expected = prefix + settled[..(i + 1)];
            // The cursor must have passed the key too: a typed space is only visible by where the cursor is.
            shown[i] = _client.Watch(screen => screen.State.CursorRow == row && screen.State.CursorColumn >= expected.Length
                && screen.GetRow(row).ToString().StartsWith(expected, StringComparison.Ordinal));
            typedAt[i] = _client.Type([(byte)text[i]]);
            due += _rhythm.Next(MinKeyGapMs, MaxKeyGapMs + 1);
            await DelayUntilAsync(start, due);
        }

        await _client.WaitForAsync(
            screen => screen.GetRow(row).ToString().TrimEnd() == final && !AnyUnderlined(screen)
                && screen.State.CursorRow == row && screen.State.CursorColumn == final.Length,
            Timeout, $"`{final}` as the server has it, without prediction underlines ({_name})");
        wrongScreens.Stop();
        _mispredictions += wrongScreens.Count;
        _wrongSpells.AddRange(wrongScreens.SpellsMs);

        string[] after = _client.Inspect(screen => RowTexts(screen));
        for (int r = 0; r < after.Length; r++)
        {
            if (r != row && r != ignoredRow && after[r] != before[r])
            {
                _wrongLeft.Add($"{(measured ? $"line {_line + 1}" : "setup line")} `{text}`: row {r} shows \"{after[r]}\", was \"{before[r]}\"");
            }
        }

        if (!measured)
        {
            return;
        }

        for (int i = 0; i < text.Length; i++)
        {
            _keys.Add(new KeyLatency(_line, text[i], shown[i].MillisecondsAfter(typedAt[i])));
        }

        _line++;
    }

    private static string[] RowTexts(Framebuffer screen)
    {
        var rows = new string[screen.Height];
        for (int r = 0; r < rows.Length; r++)
        {
            rows[r] = screen.GetRow(r).ToString().TrimEnd();
        }

        return rows;
    }

    private static async Task DelayUntilAsync(long start, int milliseconds)
    {
        TimeSpan left = TimeSpan.FromMilliseconds(milliseconds) - Stopwatch.GetElapsedTime(start);
        if (left > TimeSpan.Zero)
        {
            await Task.Delay(left);
        }
    }

    public static string CursorRowText(Framebuffer screen) => screen.GetRow(screen.State.CursorRow).ToString().TrimEnd();

    public static bool ShowsPromptAtCursor(Framebuffer screen) =>
        CursorRowText(screen) == TestShell.Prompt.TrimEnd() && screen.State.CursorColumn == TestShell.Prompt.Length;

    public static bool AnyUnderlined(Framebuffer screen)
    {
        for (int r = 0; r < screen.Height; r++)
        {
            foreach (Cell cell in screen.GetRow(r).Cells)
            {
                if (cell.Renditions.Has(TextAttributes.Underline))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>
    /// Counts the distinct wrong screens shown while a line is typed: the typed row with text that is not a prefix
    /// of its final text, or another watched row different from before; and times each spell of wrong screens, from
    /// the first until the screen is right again. Runs under the client's screen lock.
    /// </summary>
    private sealed class WrongScreenWatch(int row, string final, string[] before, int ignoredRow)
    {
        private readonly HashSet<string> _seen = [];
        private readonly List<double> _spellsMs = [];
        private long _spellStart = -1;
        private volatile bool _stopped;

        public int Count
        {
            get
            {
                lock (_seen)
                {
                    return _seen.Count;
                }
            }
        }

        /// <summary>ms each spell of wrong screens lasted; infinity for one still going when the watch stopped.</summary>
        public IReadOnlyList<double> SpellsMs
        {
            get
            {
                lock (_seen)
                {
                    return [.. _spellsMs];
                }
            }
        }

        public void Stop()
        {
            lock (_seen)
            {
                _stopped = true;
                if (_spellStart >= 0)
                {
                    _spellsMs.Add(double.PositiveInfinity);
                    _spellStart = -1;
                }
            }
        }

        /// <summary>The screen watch condition: true (which ends the watch) once stopped.</summary>
        public bool Check(Framebuffer screen)
        {
            if (_stopped)
            {
                return true;
            }

            lock (_seen)
            {
                if (_stopped)
                {
                    return true;
                }

                bool anyWrong = false;
                for (int r = 0; r < screen.Height && r < before.Length; r++)
                {
                    if (r == ignoredRow)
                    {
                        continue;
                    }

                    string text = screen.GetRow(r).ToString().TrimEnd();
                    bool wrong = r == row ? !final.StartsWith(text, StringComparison.Ordinal) : text != before[r];
                    if (wrong)
                    {
                        _seen.Add($"{r}:{text}");
                        anyWrong = true;
                    }
                }

                long now = Stopwatch.GetTimestamp();
                if (anyWrong && _spellStart < 0)
                {
                    _spellStart = now;
                }
                else if (!anyWrong && _spellStart >= 0)
                {
                    _spellsMs.Add(Stopwatch.GetElapsedTime(_spellStart, now).TotalMilliseconds);
                    _spellStart = -1;
                }
            }

            return false;
        }
    }
}
