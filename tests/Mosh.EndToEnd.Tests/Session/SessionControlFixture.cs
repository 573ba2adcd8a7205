using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Mosh.Crypto;
using Mosh.EndToEnd.Harness;
using Mosh.Network;
using Mosh.StateSync;

namespace Mosh.EndToEnd.Session;

/// <summary>
/// Shared by the list/attach/kill tests: each test gets its own XDG_RUNTIME_DIR (mode 0700), so its sessions'
/// control sockets are its own and nothing another test (or a user's real session) runs is picked by mistake.
/// </summary>
public abstract partial class SessionControlFixture : UtmpFixture
{
    private TempDirectory? _runtime;

    /// <summary>This test's XDG_RUNTIME_DIR; sessions listen in its "mosh" subdirectory.</summary>
    private protected string RuntimeDirectory => _runtime!.Path;

    private protected string ControlDirectoryPath => Path.Combine(RuntimeDirectory, "mosh");

    private protected IReadOnlyDictionary<string, string?> ControlEnvironment => new Dictionary<string, string?>
    {
        ["XDG_RUNTIME_DIR"] = RuntimeDirectory,
        ["LANG"] = "C.UTF-8",
    };

    [SetUp]
    public void CreateRuntimeDirectory()
    {
        _runtime = new TempDirectory("mosh-e2e-xdg-");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(_runtime.Path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    [TearDown]
    public void RemoveRuntimeDirectory() => _runtime?.Dispose();

    private protected static MoshPrograms Ours => MoshPrograms.RequireOurs();

    /// <summary>Our server with this test's runtime directory, running the test shell.</summary>
    private protected async Task<MoshServer> StartSessionAsync()
    {
        MoshServer server = await MoshServer.StartAsync(Ours, new MoshServerOptions { Environment = ControlEnvironment });
        // The detached daemon starts listening a moment after "mosh-server new" returns.
        string socket = Path.Combine(ControlDirectoryPath, $"{server.Pid}.sock");
        await Poll.UntilAsync(() => File.Exists(socket), TimeSpan.FromSeconds(20), $"{socket} to appear");
        return server;
    }

    /// <summary>Runs <c>mosh-server ARGS</c> (ours) with this test's runtime directory.</summary>
    private protected Task<ProcessResult> ServerCommandAsync(params string[] args) =>
        ProcessRunner.RunAsync(new ProcessSpec(Ours.Server, args) { Environment = ControlEnvironment }, TimeSpan.FromSeconds(30));

    [GeneratedRegex(@"^MOSH CONNECT (\d+) ([A-Za-z0-9/+]{22})$", RegexOptions.Multiline)]
    private protected static partial Regex ConnectLine();

    /// <summary><c>mosh-server attach PID</c>, which must succeed; returns the port and key it printed.</summary>
    private protected async Task<(int Port, string Key)> AttachAsync(int pid, params string[] extra)
    {
        ProcessResult result = await ServerCommandAsync(["attach", .. extra, pid.ToString(CultureInfo.InvariantCulture)]);
        Assert.That(result.ExitCode, Is.Zero, result.Describe());
        Match m = ConnectLine().Match(result.Stdout);
        Assert.That(m.Success, result.Describe());
        return (int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), m.Groups[2].Value);
    }


    /// <summary>
    /// Speaks to the session as a client holding <paramref name="key"/> from a fresh UDP socket: sends keystrokes
    /// (<paramref name="line"/> and Enter) for <paramref name="duration"/> and counts the authentic datagrams that
    /// come back.
    /// </summary>
    private protected static async Task<int> DatagramsAnsweredAsync(string key, int port, string line, TimeSpan duration)
    {
        using Connection connection = Connection.CreateClient(SessionKey.Parse(key), new IPEndPoint(IPAddress.Loopback, port));
        using var link = new TransportLink(connection);
        var transport = new Transport<UserStream, CompleteTerminal>(new UserStream(), new CompleteTerminal(80, 24), link, link,
            MonotonicClock.Instance);
        transport.CurrentState.PushKeystrokes(System.Text.Encoding.ASCII.GetBytes(line + "\r"));
        long end = Environment.TickCount64 + (long)duration.TotalMilliseconds;
        while (Environment.TickCount64 < end)
        {
            transport.Tick();
            link.ReceiveWaiting(transport);
            await Task.Delay(20);
        }

        return (int)connection.Stats.Opened;
    }

    private protected static bool ProcessExists(int pid) => !ProcessTag.IsGone(pid);
}
