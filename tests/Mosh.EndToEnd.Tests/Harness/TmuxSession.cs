using System.Globalization;

namespace Mosh.EndToEnd.Harness;

/// <summary>
/// One command running in the single pane of a private tmux server (<c>tmux -f /dev/null -S socket</c>): the
/// test's terminal. Keys go in with send-keys, the screen comes out with capture-pane. The pane stays after its
/// command exits (remain-on-exit) so the exit status can be read. Disposal kills the tmux server and every
/// process started from it.
/// </summary>
internal sealed class TmuxSession : IAsyncDisposable
{
    private const string TmuxPath = "/usr/bin/tmux";
    private const string Target = "main";
    public static readonly TimeSpan DefaultWait = TimeSpan.FromSeconds(20);

    private readonly TempDirectory directory = new("mosh-e2e-tmux-");
    private readonly ProcessTag tag = new();

    private TmuxSession(IReadOnlyList<string> command)
    {
        Command = command;
    }

    public IReadOnlyList<string> Command { get; }

    public string SocketPath => directory.File("tmux.sock");

    public ProcessTag Tag => tag;

    /// <summary>Starts <paramref name="command"/> (argv, executed without a shell) in an 80x24 pane.</summary>
    public static async Task<TmuxSession> StartAsync(IReadOnlyList<string> command, TmuxOptions? options = null)
    {
        options ??= new TmuxOptions();
        var session = new TmuxSession(command);
        try
        {
            var environment = new Dictionary<string, string?>
            {
                ["LANG"] = "C.UTF-8",
                ["TMUX"] = null,
                ["TMUX_PANE"] = null,
            };
            foreach ((string name, string? value) in options.Environment)
            {
                environment[name] = value;
            }
            environment[ProcessTag.VariableName] = session.tag.Value;
            // Options first, in the same invocation, so they hold before the command can exit.
            string[] arguments =
            [
                "-f", "/dev/null", "-S", session.SocketPath,
                "set-option", "-g", "remain-on-exit", "on", ";",
                "set-option", "-g", "status", "off", ";",
                "set-option", "-g", "default-terminal", options.Term, ";",
                "set-option", "-g", "history-limit", options.HistoryLimit.ToString(CultureInfo.InvariantCulture), ";",
                "new-session", "-d", "-s", Target,
                "-x", options.Width.ToString(CultureInfo.InvariantCulture),
                "-y", options.Height.ToString(CultureInfo.InvariantCulture),
                "-c", options.WorkingDirectory ?? session.directory.Path,
                "--", .. command,
            ];
            (await ProcessRunner.RunAsync(new ProcessSpec(TmuxPath, arguments) { Environment = environment }).ConfigureAwait(false)).EnsureSuccess();
            return session;
        }
        catch
        {
            await session.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Runs a tmux command against this session's server and returns its stdout.</summary>
    public async Task<string> TmuxAsync(params string[] arguments)
    {
        ProcessResult result = await ProcessRunner.RunAsync(new ProcessSpec(TmuxPath, ["-S", SocketPath, .. arguments]), TimeSpan.FromSeconds(20)).ConfigureAwait(false);
        return result.EnsureSuccess().Stdout;
    }

    /// <summary>Types <paramref name="text"/> literally (send-keys -l).</summary>
    public Task SendTextAsync(string text) => TmuxAsync("send-keys", "-t", Target, "-l", "--", text);

    /// <summary>Pastes tmux buffer <paramref name="buffer"/> into the pane (paste-buffer; returns before the pane has
    /// taken it all).</summary>
    public Task PasteAsync(string buffer) => TmuxAsync("paste-buffer", "-b", buffer, "-t", Target);

    /// <summary>Presses named keys: "Enter", "C-c", "Escape", "Up", "BSpace", ...</summary>
    public Task SendKeysAsync(params string[] keys) => TmuxAsync(["send-keys", "-t", Target, .. keys]);

    /// <summary>Types a line and presses Enter.</summary>
    public async Task SendLineAsync(string text)
    {
        await SendTextAsync(text).ConfigureAwait(false);
        await SendKeysAsync("Enter").ConfigureAwait(false);
    }

    /// <summary>
    /// Resizes the window (and so the pane) to <paramref name="width"/> x <paramref name="height"/>, and waits until
    /// the pane's pty has that size. tmux 3.3 applies a pane's resize to its pty (and so sends the program its
    /// SIGWINCH) up to a quarter of a second after the one before: keys typed at once can reach the program while it
    /// still has the old size (a shell then prints below the new last row, and the resize cuts those rows off).
    /// </summary>
    public async Task ResizeAsync(int width, int height)
    {
        string rows = height.ToString(CultureInfo.InvariantCulture);
        string columns = width.ToString(CultureInfo.InvariantCulture);
        await TmuxAsync("resize-window", "-t", Target, "-x", columns, "-y", rows).ConfigureAwait(false);
        string tty = (await DisplayAsync("#{pane_tty}").ConfigureAwait(false)).Trim();
        if (tty.Length == 0)
        {
            return; // the pane's program has exited: no pty to wait for
        }

        string last = "";
        await Poll.UntilAsync(async () =>
            {
                ProcessResult size = await ProcessRunner.RunAsync(new ProcessSpec("stty", ["-F", tty, "size"]), TimeSpan.FromSeconds(5)).ConfigureAwait(false);
                last = size.Stdout.Trim() + size.Stderr.Trim();
                return last == $"{rows} {columns}";
            }, DefaultWait, () => $"the pane's pty {tty} to be {rows} rows by {columns} columns (stty: {last})").ConfigureAwait(false);
    }

    /// <summary>The visible screen as text, one line per row (trailing blanks trimmed by tmux). With
    /// <paramref name="withEscapes"/> the SGR attributes are included (-e); with
    /// <paramref name="includeHistory"/> the scrolled-off lines come first.</summary>
    public Task<string> CapturePaneAsync(bool withEscapes = false, bool includeHistory = false, bool keepTrailingBlanks = false)
    {
        var arguments = new List<string> { "capture-pane", "-p", "-t", Target };
        if (withEscapes)
        {
            arguments.Add("-e");
        }
        if (keepTrailingBlanks)
        {
            arguments.Add("-N");
        }
        if (includeHistory)
        {
            arguments.Add("-S");
            arguments.Add("-");
        }
        return TmuxAsync([.. arguments]);
    }

    /// <summary>
    /// Attaches a tmux client to this session's server inside a pane of a second tmux (<see cref="TmuxView"/>), so
    /// what this tmux draws for a terminal can be captured cell by cell.
    /// </summary>
    public Task<TmuxView> AttachViewAsync() => TmuxView.AttachAsync(this);

    /// <summary>Reads a tmux format (e.g. "#{cursor_x}") for the pane.</summary>
    public async Task<string> DisplayAsync(string format) =>
        (await TmuxAsync("display-message", "-p", "-t", Target, format).ConfigureAwait(false)).TrimEnd('\n');

    /// <summary>The process the pane runs (the program tmux started in it, e.g. mosh-client).</summary>
    public async Task<int> PanePidAsync() =>
        int.Parse(await DisplayAsync("#{pane_pid}").ConfigureAwait(false), CultureInfo.InvariantCulture);

    /// <summary>Polls the screen (with history) until <paramref name="predicate"/> holds; returns that capture.
    /// The timeout message shows the last screen.</summary>
    public async Task<string> WaitForScreenAsync(Func<string, bool> predicate, string what, TimeSpan? timeout = null)
    {
        string last = "";
        await Poll.UntilAsync(
            async () =>
            {
                last = await CapturePaneAsync(includeHistory: true).ConfigureAwait(false);
                return predicate(last);
            },
            timeout ?? DefaultWait,
            () => $"{what}; last screen of the pane running {Path.GetFileName(Command[0])}:\n{last}").ConfigureAwait(false);
        return last;
    }

    public Task<string> WaitForTextAsync(string text, TimeSpan? timeout = null) =>
        WaitForScreenAsync(screen => screen.Contains(text, StringComparison.Ordinal), $"\"{text}\" on screen", timeout);

    /// <summary>Waits for a screen line that is exactly <paramref name="line"/> (ignoring trailing blanks), so a
    /// command's output is told apart from the command line that printed it.</summary>
    public Task<string> WaitForLineAsync(string line, TimeSpan? timeout = null) =>
        WaitForScreenAsync(screen => HasLine(screen, line), $"a line \"{line}\"", timeout);

    public static bool HasLine(string screen, string line) =>
        screen.Split('\n').Any(l => l.TrimEnd() == line);

    public async Task<bool> IsPaneDeadAsync() => await DisplayAsync("#{pane_dead}").ConfigureAwait(false) == "1";

    /// <summary>Waits for the pane's command to exit and returns its exit status, or 128 + N when signal N
    /// killed it (as a shell reports it).</summary>
    public async Task<int> WaitForExitAsync(TimeSpan? timeout = null)
    {
        // tmux sees the pty close (pane_dead) before it reaps the child (status/signal). Started from the test
        // host, tmux 3.3a sometimes never reaps the child at all (it stays a zombie); the zombie's wait status is
        // then read from /proc/PID/stat instead.
        string[] fields = [];
        string screen = "";
        int? status = null;
        await Poll.UntilAsync(
            async () =>
            {
                fields = (await DisplayAsync("#{pane_dead} #{pane_dead_status} #{pane_dead_signal} #{pane_pid}").ConfigureAwait(false)).Split(' ');
                if (fields.Length == 4 && fields[0] == "1")
                {
                    if (fields[1].Length > 0)
                    {
                        status = int.Parse(fields[1], CultureInfo.InvariantCulture);
                    }
                    else if (fields[2].Length > 0)
                    {
                        status = 128 + int.Parse(fields[2], CultureInfo.InvariantCulture);
                    }
                    else if (int.TryParse(fields[3], CultureInfo.InvariantCulture, out int pid) && ZombieWaitStatus(pid) is int wait)
                    {
                        status = (wait & 0x7f) == 0 ? (wait >> 8) & 0xff : 128 + (wait & 0x7f);
                    }
                }
                if (status is null)
                {
                    screen = await CapturePaneAsync(includeHistory: true).ConfigureAwait(false);
                }
                return status is not null;
            },
            timeout ?? DefaultWait,
            () => $"`{string.Join(' ', Command)}` to exit (dead, status, signal, pid: {string.Join(',', fields)}); last screen:\n{screen}").ConfigureAwait(false);
        return status!.Value;
    }

    /// <summary>The waitpid-style status of a zombie (the last field of /proc/PID/stat), or null.</summary>
    private static int? ZombieWaitStatus(int pid)
    {
        try
        {
            string stat = File.ReadAllText($"/proc/{pid}/stat");
            int close = stat.LastIndexOf(')');
            if (close < 0 || close + 2 >= stat.Length || stat[close + 2] != 'Z')
            {
                return null;
            }
            string last = stat.TrimEnd().Split(' ')[^1];
            return int.TryParse(last, CultureInfo.InvariantCulture, out int wait) ? wait : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (File.Exists(SocketPath))
        {
            await ProcessRunner.RunAsync(new ProcessSpec(TmuxPath, "-S", SocketPath, "kill-server"), TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        }
        await tag.KillAllAsync(TimeSpan.FromSeconds(2)).ConfigureAwait(false);
        directory.Dispose();
    }
}
