using System.Globalization;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using Mosh.EndToEnd.Harness;

namespace Mosh.EndToEnd.Session;

/// <summary>
/// list/attach/kill refuse what they must with a clear message and exit status 1, and the session they were aimed at
/// carries on unharmed: pids that are not sessions or not the user's, a control directory with the wrong mode or
/// owner, garbage, truncated and oversized requests on the socket, and two attaches racing.
/// </summary>
[TestFixture]
[NonParallelizable]
public class SessionControlBadInputTests : SessionControlFixture
{
    private const string OtherUser = "mosh-e2e-other";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [Test]
    public async Task Pids_that_are_not_sessions_and_malformed_commands_are_refused_without_starting_anything()
    {
        await using MoshServer server = await StartSessionAsync();
        string self = Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
        foreach (string[] args in new string[][] { ["attach", "1"], ["attach", self], ["kill", self], ["attach", "x1"], ["kill"], ["list", "extra"],
            ["attach", "-p", "70000", server.Pid.ToString(CultureInfo.InvariantCulture)] })
        {
            ProcessResult result = await ServerCommandAsync(args);
            Assert.That(result.ExitCode, Is.EqualTo(1), result.Describe());
            Assert.That(result.Stderr, Does.Match("no session of yours has pid|not a process id|needs exactly one PID|too many arguments|Bad UDP port range"),
                result.Describe());
            Assert.That(result.Stdout, Does.Not.Contain("MOSH CONNECT"), result.Describe());
        }

        await AssertUnharmedAsync(server);
    }

    [Test]
    public async Task Attach_without_a_pid_takes_the_only_detached_session_and_lists_them_when_there_are_none_or_several()
    {
        // As the throwaway user, whose sessions are all this test's (root's fallback directory may hold others').
        await EnsureOtherUserAsync();
        ProcessResult none = await OtherUserServerAsync("attach");
        Assert.That(none.ExitCode, Is.EqualTo(1), none.Describe());
        Assert.That(none.Stderr, Does.Contain("no sessions of yours are running"), none.Describe());

        await using MoshServer first = await StartOtherUserSessionAsync();
        await using MoshServer second = await StartOtherUserSessionAsync();
        ProcessResult several = await OtherUserServerAsync("attach");
        Assert.That(several.ExitCode, Is.EqualTo(1), several.Describe());
        Assert.That(several.Stderr, Does.Contain("2 detached sessions; name one")
            .And.Match($@"(?m)^{first.Pid}\s").And.Match($@"(?m)^{second.Pid}\s"), several.Describe());
        Assert.That(several.Stdout, Does.Not.Contain("MOSH CONNECT"), several.Describe());

        ProcessResult kill = await OtherUserServerAsync("kill", second.Pid.ToString(CultureInfo.InvariantCulture));
        Assert.That(kill.ExitCode, Is.Zero, kill.Describe());
        ProcessResult only = await OtherUserServerAsync("attach");
        Assert.That(only.ExitCode, Is.Zero, only.Describe());
        Match m = ConnectLine().Match(only.Stdout);
        Assert.That(m.Success, only.Describe());
        Assert.That(int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), Is.EqualTo(first.Port));

        // Once its client is connected the session is attached, and a PID-less attach no longer picks it.
        await using TmuxSession client = await MoshClient.StartAsync(Ours, first.Port, m.Groups[2].Value);
        await client.WaitForLineAsync("ready", Wait);
        ProcessResult attachedOnly = await OtherUserServerAsync("attach");
        Assert.That(attachedOnly.ExitCode, Is.EqualTo(1), attachedOnly.Describe());
        Assert.That(attachedOnly.Stderr, Does.Contain("no detached session; name one")
            .And.Match($@"(?m)^{first.Pid}\s+\S+ \S+\s+attached\s"), attachedOnly.Describe());
        Assert.That(first.HasExited, Is.False);
    }

    private static readonly Dictionary<string, string?> OtherUserEnvironment = new()
    {
        ["XDG_RUNTIME_DIR"] = null,
        ["HOME"] = "/tmp",
        ["LANG"] = "C.UTF-8",
    };

    private static async Task<MoshServer> StartOtherUserSessionAsync()
    {
        MoshServer server = await MoshServer.StartAsync(OtherUserServer, new MoshServerOptions
        {
            Launcher = ["runuser", "-u", OtherUser, "--"],
            Command = ["/bin/sh", "-c", "echo ready; exec sleep 120"],
            Environment = OtherUserEnvironment,
        });
        // The detached daemon starts listening a moment after "mosh-server new" returns.
        string uid = (await ProcessRunner.RunAsync("id", "-u", OtherUser)).EnsureSuccess().Stdout.Trim();
        string socket = $"/tmp/mosh-{uid}/{server.Pid}.sock";
        await Poll.UntilAsync(() => File.Exists(socket), Wait, $"{socket} to appear");
        return server;
    }

    private static Task<ProcessResult> OtherUserServerAsync(params string[] args) =>
        ProcessRunner.RunAsync(new ProcessSpec("runuser", ["-u", OtherUser, "--", OtherUserServer, .. args])
        {
            Environment = OtherUserEnvironment,
        }, Wait);

    [Test]
    public async Task Another_users_session_can_be_neither_found_nor_asked()
    {
        await EnsureOtherUserAsync();
        await using MoshServer theirs = await MoshServer.StartAsync(OtherUserServer, new MoshServerOptions
        {
            Launcher = ["runuser", "-u", OtherUser, "--"],
            Command = ["/bin/sh", "-c", "sleep 120"],
            Environment = new Dictionary<string, string?> { ["XDG_RUNTIME_DIR"] = null, ["HOME"] = "/tmp" },
        });
        string pid = theirs.Pid.ToString(CultureInfo.InvariantCulture);

        ProcessResult attach = await ServerCommandAsync("attach", pid);
        Assert.That(attach.ExitCode, Is.EqualTo(1), attach.Describe());
        Assert.That(attach.Stderr, Does.Contain($"no session of yours has pid {pid}"), attach.Describe());

        // Even root, who can open the other user's socket, is refused by the session itself (SO_PEERCRED).
        string uid = (await ProcessRunner.RunAsync("id", "-u", OtherUser)).EnsureSuccess().Stdout.Trim();
        string socketPath = $"/tmp/mosh-{uid}/{pid}.sock";
        await Poll.UntilAsync(() => File.Exists(socketPath), Wait, $"{socketPath} to exist");
        Assert.That(await AskRawAsync(socketPath, "attach\n"u8.ToArray()), Does.StartWith("error permission denied"));

        await using MoshServer mine = await StartSessionAsync();
        ProcessResult theirAttach = await ProcessRunner.RunAsync(new ProcessSpec("runuser",
            "-u", OtherUser, "--", OtherUserServer, "attach", mine.Pid.ToString(CultureInfo.InvariantCulture))
        {
            Environment = new Dictionary<string, string?> { ["XDG_RUNTIME_DIR"] = null },
        }, Wait);
        Assert.That(theirAttach.ExitCode, Is.EqualTo(1), theirAttach.Describe());

        ProcessResult theirKill = await ProcessRunner.RunAsync(new ProcessSpec("runuser", "-u", OtherUser, "--", OtherUserServer, "kill", pid)
        {
            Environment = new Dictionary<string, string?> { ["XDG_RUNTIME_DIR"] = null },
        }, Wait);
        Assert.That(theirKill.ExitCode, Is.Zero, theirKill.Describe());
        Assert.That(theirs.HasExited);
        await AssertUnharmedAsync(mine);
    }

    [Test]
    public async Task A_control_directory_open_to_others_or_owned_by_another_user_is_refused()
    {
        await EnsureOtherUserAsync();
        await using MoshServer server = await StartSessionAsync();
        string pid = server.Pid.ToString(CultureInfo.InvariantCulture);

        (await ProcessRunner.RunAsync("chmod", "755", ControlDirectoryPath)).EnsureSuccess();
        ProcessResult open = await ServerCommandAsync("attach", pid);
        Assert.That(open.ExitCode, Is.EqualTo(1), open.Describe());
        Assert.That(open.Stderr, Does.Contain("mode 755").And.Contain("refusing"), open.Describe());
        (await ProcessRunner.RunAsync("chmod", "700", ControlDirectoryPath)).EnsureSuccess();

        (await ProcessRunner.RunAsync("chown", OtherUser, ControlDirectoryPath)).EnsureSuccess();
        ProcessResult owned = await ServerCommandAsync("list");
        Assert.That(owned.ExitCode, Is.EqualTo(1), owned.Describe());
        Assert.That(owned.Stderr, Does.Contain("owned by uid").And.Contain("refusing"), owned.Describe());
        (await ProcessRunner.RunAsync("chown", "root", ControlDirectoryPath)).EnsureSuccess();

        await AssertUnharmedAsync(server);
    }

    [Test]
    public async Task Garbage_truncated_and_oversized_requests_get_an_error_and_harm_nothing()
    {
        await using MoshServer server = await StartSessionAsync();
        string socketPath = Path.Combine(ControlDirectoryPath, $"{server.Pid}.sock");
        await Poll.UntilAsync(() => File.Exists(socketPath), Wait, $"{socketPath} to exist");

        Assert.That(await AskRawAsync(socketPath, [0xff, 0x00, 0x1b, (byte)'[', 0x80, (byte)'\n']), Is.EqualTo("error malformed request"));
        Assert.That(await AskRawAsync(socketPath, "detach now\n"u8.ToArray()), Is.EqualTo("error unknown request"));
        Assert.That(await AskRawAsync(socketPath, "attach 99999\n"u8.ToArray()), Does.StartWith("error bad UDP port range"));
        Assert.That(await AskRawAsync(socketPath, "atta"u8.ToArray()), Is.EqualTo("error truncated request"));
        Assert.That(await AskRawAsync(socketPath, Encoding.ASCII.GetBytes(new string('a', 4000))), Is.EqualTo("error request too long"));
        Assert.That(await AskRawAsync(socketPath, [], holdOpen: true), Is.EqualTo("error truncated request"));

        await AssertUnharmedAsync(server);
    }

    [Test]
    public async Task Of_two_attaches_racing_one_wins_and_the_other_is_told_to_retry()
    {
        await using MoshServer server = await StartSessionAsync();
        string pid = server.Pid.ToString(CultureInfo.InvariantCulture);
        ProcessResult[] results = await Task.WhenAll(ServerCommandAsync("attach", pid), ServerCommandAsync("attach", pid));
        ProcessResult[] winners = results.Where(r => r.ExitCode == 0).ToArray();
        ProcessResult[] losers = results.Where(r => r.ExitCode != 0).ToArray();
        Assert.That(winners, Has.Length.EqualTo(1), string.Join("\n", results.Select(r => r.Describe())));
        Assert.That(losers[0].ExitCode, Is.EqualTo(1), losers[0].Describe());
        Assert.That(losers[0].Stderr, Does.Contain("another attach of this session is in progress"), losers[0].Describe());

        var connect = ConnectLine().Match(winners[0].Stdout);
        await using TmuxSession client = await MoshClient.StartAsync(Ours,
            int.Parse(connect.Groups[1].Value, CultureInfo.InvariantCulture), connect.Groups[2].Value);
        await client.WaitForScreenAsync(TestShell.ShowsPrompt, "the prompt", Wait);
        await client.SendLineAsync("echo w''on");
        await client.WaitForLineAsync("won", Wait);
        await DetachedSessionTests.StopAsync(server);
    }

    /// <summary>The session still answers list and takes a client that can type.</summary>
    private async Task AssertUnharmedAsync(MoshServer server)
    {
        Assert.That(server.HasExited, Is.False);
        ProcessResult list = await ServerCommandAsync("list");
        Assert.That(list.ExitCode, Is.Zero, list.Describe());
        Assert.That(list.Stdout, Does.Match($@"(?m)^{server.Pid}\s"), list.Describe());
        (int port, string key) = await AttachAsync(server.Pid);
        await using TmuxSession client = await MoshClient.StartAsync(Ours, port, key);
        await client.WaitForScreenAsync(TestShell.ShowsPrompt, "the prompt", Wait);
        await client.SendLineAsync("echo un''harmed");
        await client.WaitForLineAsync("unharmed", Wait);
        await DetachedSessionTests.StopAsync(server);
    }

    /// <summary>Sends raw bytes on a control socket (then half-closes it, unless <paramref name="holdOpen"/>) and returns the reply line.</summary>
    private static async Task<string> AskRawAsync(string socketPath, byte[] request, bool holdOpen = false)
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath));
        if (request.Length > 0)
        {
            try
            {
                await socket.SendAsync(request);
            }
            catch (SocketException)
            {
                // The session may close on an oversized request before taking all of it.
            }
        }

        if (!holdOpen)
        {
            try
            {
                socket.Shutdown(SocketShutdown.Send);
            }
            catch (SocketException)
            {
            }
        }

        var reply = new MemoryStream();
        byte[] buffer = new byte[256];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (true)
        {
            int n = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
            if (n == 0)
            {
                break;
            }

            reply.Write(buffer, 0, n);
        }

        return Encoding.UTF8.GetString(reply.ToArray()).TrimEnd('\n');
    }

    private static string? s_otherUserServer;

    /// <summary>
    /// Our mosh-server where the throwaway user can run it: the build directory may be private to root (a clone in a
    /// 0700 directory), so a copy goes to a directory of its own that everyone may enter.
    /// </summary>
    private static string OtherUserServer => s_otherUserServer ??= CopyServerForOtherUser();

    private static string CopyServerForOtherUser()
    {
        const UnixFileMode Open = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
            | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;
        string directory = Directory.CreateTempSubdirectory("mosh-e2e-other-bin-").FullName;
        string path = Path.Combine(directory, "mosh-server");
        File.Copy(Ours.Server, path);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(directory, Open);
            File.SetUnixFileMode(path, Open);
        }

        return path;
    }

    private static async Task EnsureOtherUserAsync()
    {
        if ((await ProcessRunner.RunAsync("id", OtherUser)).ExitCode != 0)
        {
            (await ProcessRunner.RunAsync("useradd", "--system", "--no-create-home", "--shell", "/bin/sh", OtherUser)).EnsureSuccess();
        }
    }

    /// <summary>The throwaway user leaves the machine with the fixture (its processes and its control directory too).</summary>
    [OneTimeTearDown]
    public async Task RemoveOtherUserAsync()
    {
        ProcessResult id = await ProcessRunner.RunAsync("id", "-u", OtherUser);
        if (id.ExitCode != 0)
        {
            return;
        }

        _ = await ProcessRunner.RunAsync("pkill", "-KILL", "-u", OtherUser);
        await Poll.UntilAsync(async () => (await ProcessRunner.RunAsync("pgrep", "-u", OtherUser)).ExitCode != 0,
            Wait, () => $"{OtherUser}'s processes to end");
        (await ProcessRunner.RunAsync("userdel", OtherUser)).EnsureSuccess();
        if (s_otherUserServer is { } copy)
        {
            Directory.Delete(Path.GetDirectoryName(copy)!, recursive: true);
            s_otherUserServer = null;
        }

        string directory = "/tmp/mosh-" + id.Stdout.Trim();
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
