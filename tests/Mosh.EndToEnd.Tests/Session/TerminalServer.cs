using System.Globalization;
using System.Text.RegularExpressions;
using Mosh.EndToEnd.Harness;

namespace Mosh.EndToEnd.Session;

/// <summary>
/// <c>mosh-server new</c> started with a terminal for its stdio (through <c>script</c>), as the mosh wrapper's
/// <c>ssh -t</c> starts it. Upstream needs that to show the motd and its detached-session notice: its child
/// writes them through stdio, which is fully buffered (and lost at exec) when stdout was a file or pipe.
/// </summary>
internal sealed partial class TerminalServer : IAsyncDisposable
{
    private readonly ProcessTag _tag = new();

    public int Port { get; private set; }

    public string Key { get; private set; } = "";

    public int Pid { get; private set; }

    public static async Task<TerminalServer> StartAsync(string executable, IReadOnlyDictionary<string, string?> environment)
    {
        var server = new TerminalServer();
        var env = new Dictionary<string, string?>(environment) { ["LANG"] = "C.UTF-8", [ProcessTag.VariableName] = server._tag.Value };
        ProcessResult result = await ProcessRunner.RunAsync(
            new ProcessSpec("script", ["-qec", $"'{executable}' new -i 127.0.0.1", "/dev/null"]) { Environment = env },
            TimeSpan.FromSeconds(30));
        Match connect = MoshServer.ConnectLine().Match(result.Stdout.Replace("\r", "", StringComparison.Ordinal));
        Match detached = DetachedLine().Match(result.Stdout);
        if (result.ExitCode != 0 || !connect.Success || !detached.Success)
        {
            await server.DisposeAsync();
            throw new InvalidOperationException("mosh-server on a terminal did not start: " + result);
        }
        server.Port = int.Parse(connect.Groups[1].Value, CultureInfo.InvariantCulture);
        server.Key = connect.Groups[2].Value;
        server.Pid = int.Parse(detached.Groups[1].Value, CultureInfo.InvariantCulture);
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        if (Pid > 0 && !ProcessTag.IsGone(Pid))
        {
            ProcessTag.Signal(Pid, 15);
        }
        await _tag.KillAllAsync(TimeSpan.FromSeconds(1));
    }

    [GeneratedRegex(@"\[mosh-server detached, pid = (\d+)\]")]
    private static partial Regex DetachedLine();
}
