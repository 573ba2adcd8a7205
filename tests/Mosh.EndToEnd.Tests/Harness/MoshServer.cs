using System.Globalization;
using System.Text.RegularExpressions;

namespace Mosh.EndToEnd.Harness;

/// <summary>
/// A detached <c>mosh-server new</c> (upstream's or ours: the executable is a parameter). Start parses the
/// <c>MOSH CONNECT port key</c> line and the detached pid; disposal kills the server and everything it started
/// (they all carry the session's <see cref="ProcessTag"/>).
/// </summary>
internal sealed partial class MoshServer : IAsyncDisposable
{
    private const int SigTerm = 15;

    private readonly TempDirectory directory = new("mosh-e2e-server-");
    private readonly ProcessTag tag = new();

    private MoshServer(string executable)
    {
        Executable = executable;
    }

    public string Executable { get; }

    /// <summary>The UDP port from MOSH CONNECT.</summary>
    public int Port { get; private set; }

    /// <summary>The 22-character base64 session key from MOSH CONNECT.</summary>
    public string Key { get; private set; } = "";

    /// <summary>Pid of the detached server (from "[mosh-server detached, pid = N]").</summary>
    public int Pid { get; private set; }

    /// <summary>What the foreground mosh-server printed on stdout.</summary>
    public string Stdout { get; private set; } = "";

    /// <summary>Everything the server wrote to stderr so far; with -v this keeps growing with its log.</summary>
    public string Log => File.Exists(LogPath) ? File.ReadAllText(LogPath) : "";

    public string LogPath => directory.File("server.err");

    public ProcessTag Tag => tag;

    public bool HasExited => ProcessTag.IsGone(Pid);

    [GeneratedRegex(@"^MOSH CONNECT (\d+?) ([A-Za-z0-9/+]{22})\s*$", RegexOptions.Multiline)]
    internal static partial Regex ConnectLine();

    [GeneratedRegex(@"\[mosh-server detached, pid = (\d+)\]")]
    private static partial Regex DetachedLine();

    public static async Task<MoshServer> StartAsync(string executable, MoshServerOptions? options = null)
    {
        options ??= new MoshServerOptions();
        var server = new MoshServer(executable);
        try
        {
            await server.LaunchAsync(options).ConfigureAwait(false);
            return server;
        }
        catch
        {
            await server.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public static Task<MoshServer> StartAsync(MoshPrograms programs, MoshServerOptions? options = null) =>
        StartAsync(programs.Server, options);

    private async Task LaunchAsync(MoshServerOptions options)
    {
        var arguments = new List<string> { "new" };
        if (options.BindAddress is not null)
        {
            arguments.Add("-i");
            arguments.Add(options.BindAddress);
        }
        if (options.Port is int port)
        {
            arguments.Add("-p");
            arguments.Add(port.ToString(CultureInfo.InvariantCulture));
        }
        arguments.AddRange(options.ExtraArguments);
        if (options.Command is not null)
        {
            arguments.Add("--");
            arguments.AddRange(options.Command);
        }
        var environment = new Dictionary<string, string?> { ["LANG"] = "C.UTF-8" };
        foreach ((string name, string? value) in options.Environment)
        {
            environment[name] = value;
        }
        environment[ProcessTag.VariableName] = tag.Value;

        // Through files, not pipes: the detached server (with -v) keeps its stdio, which would hold a pipe open.
        string stdoutPath = directory.File("server.out");
        ProcessResult result = await ProcessRunner.RunAsync(
            new ProcessSpec("/bin/sh", ["-c", $"exec \"$0\" \"$@\" </dev/null >'{stdoutPath}' 2>'{LogPath}'", .. options.Launcher, Executable, .. arguments])
            {
                Environment = environment,
            },
            TimeSpan.FromSeconds(30)).ConfigureAwait(false);
        Stdout = File.Exists(stdoutPath) ? await File.ReadAllTextAsync(stdoutPath).ConfigureAwait(false) : "";
        string describe() => $"`{Executable} {string.Join(' ', arguments)}` exited {result.ExitCode}\nstdout:\n{Stdout}\nstderr:\n{Log}";
        if (result.TimedOut || result.ExitCode != 0)
        {
            throw new InvalidOperationException(describe());
        }
        Match connect = ConnectLine().Match(Stdout);
        if (!connect.Success)
        {
            throw new InvalidOperationException("no MOSH CONNECT line: " + describe());
        }
        Port = int.Parse(connect.Groups[1].Value, CultureInfo.InvariantCulture);
        Key = connect.Groups[2].Value;
        // The detached line comes from the parent right before it exits, so it is there by now.
        Match detached = DetachedLine().Match(Log);
        if (!detached.Success)
        {
            throw new InvalidOperationException("no detached pid: " + describe());
        }
        Pid = int.Parse(detached.Groups[1].Value, CultureInfo.InvariantCulture);
    }

    /// <summary>Waits for the detached server to exit by itself.</summary>
    public Task WaitForExitAsync(TimeSpan timeout) =>
        Poll.UntilAsync(() => HasExited, timeout, () => $"mosh-server {Pid} to exit; log:\n{Log}");

    public async ValueTask DisposeAsync()
    {
        if (Pid > 0 && !HasExited)
        {
            ProcessTag.Signal(Pid, SigTerm);
        }
        await tag.KillAllAsync(TimeSpan.FromSeconds(1)).ConfigureAwait(false);
        directory.Dispose();
    }
}
