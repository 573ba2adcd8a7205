using System.Text.RegularExpressions;
using Mosh.EndToEnd.Harness;

namespace Mosh.EndToEnd.Session;

/// <summary>
/// The utmp entry a session keeps through libutempter (upstream 1.4.0's behaviour, with Debian's mosh-server as the
/// oracle in the same run): <c>mosh [PID]</c> from the start, <c>&lt;client ip&gt; via mosh [PID]</c> with a
/// client, <c>mosh [PID]</c> again after 30 s without hearing from the client, and gone (a DEAD_PROCESS record) at exit.
/// </summary>
[TestFixture]
[NonParallelizable]
public partial class UtmpTests : UtmpFixture
{
    private static readonly TimeSpan UtmpWait = TimeSpan.FromSeconds(10);
    [TestCaseSource(typeof(MoshPrograms), nameof(MoshPrograms.BothNames))]
    public async Task The_sessions_pty_is_in_utmp_as_mosh_pid_then_as_the_clients_address_and_leaves_at_exit(string which)
    {
        MoshPrograms programs = MoshPrograms.Named(which);
        await using MoshServer server = await MoshServer.StartAsync(programs);
        int pid = server.Pid;
        await WaitForHostAsync(pid, $"mosh [{pid}]");

        await using TmuxSession client = await MoshClient.StartAsync(programs, server.Port, server.Key);
        await client.WaitForScreenAsync(TestShell.ShowsPrompt, "the prompt");
        UtmpRecord attached = await WaitForHostAsync(pid, $"127.0.0.1 via mosh [{pid}]");
        Assert.That(attached.User, Is.EqualTo(Environment.UserName));

        await client.SendLineAsync("tty");
        string screen = await client.WaitForScreenAsync(s => TtyLine().IsMatch(s), "the output of tty");
        string line = TtyLine().Match(screen).Groups[1].Value;
        Assert.That(attached.Line, Is.EqualTo(line), "the entry is for the session's own terminal");

        await client.SendLineAsync("exit");
        await server.WaitForExitAsync(TimeSpan.FromSeconds(20));
        Assert.That(UtmpFile.LiveRecordOf(pid), Is.Null, UtmpFile.Describe());
        Assert.That(UtmpFile.ReadAll().Any(r => r.Type == UtmpFile.DeadProcess && r.Pid == pid && r.Line == line),
            UtmpFile.Describe());
    }

    [TestCaseSource(typeof(MoshPrograms), nameof(MoshPrograms.BothNames))]
    public async Task The_entry_is_written_again_when_the_client_roams_to_a_new_address_and_not_for_mere_typing(string which)
    {
        MoshPrograms programs = MoshPrograms.Named(which);
        await using MoshSession session = await MoshSession.StartAsync(programs);
        int pid = session.Server.Pid;
        UtmpRecord attached = await WaitForHostAsync(pid, $"127.0.0.1 via mosh [{pid}]");

        await session.RunCommandAsync("typing");
        Assert.That(UtmpFile.LiveRecordOf(pid)?.WrittenMicroseconds, Is.EqualTo(attached.WrittenMicroseconds),
            "the same address: the entry stays as it was");

        await session.Relay.RoamAsync(); // a new source port towards the server
        await session.RunCommandAsync("roamed");
        await Poll.UntilAsync(() => UtmpFile.LiveRecordOf(pid)?.WrittenMicroseconds > attached.WrittenMicroseconds, UtmpWait,
            () => "the entry to be rewritten after the roam; utmp now:\n" + UtmpFile.Describe());
        Assert.That(UtmpFile.LiveRecordOf(pid)?.Host, Is.EqualTo($"127.0.0.1 via mosh [{pid}]"));

        await session.Client.SendLineAsync("exit");
        await session.Server.WaitForExitAsync(TimeSpan.FromSeconds(20));
    }

    [Test]
    public async Task After_30_seconds_without_hearing_the_client_the_entry_says_detached_until_it_is_heard_again()
    {
        // Both servers side by side, so the half-minute is spent once: upstream's behaviour is the expectation.
        MoshPrograms ours = MoshPrograms.RequireOurs();
        await using MoshSession our = await MoshSession.StartAsync(ours);
        await using MoshSession theirs = await MoshSession.StartAsync(MoshPrograms.Upstream);
        MoshSession[] sessions = [our, theirs];
        foreach (MoshSession s in sessions)
        {
            await WaitForHostAsync(s.Server.Pid, $"127.0.0.1 via mosh [{s.Server.Pid}]");
        }

        // Even an idle client's keep-alives are new states; only a client that has gone quiet is detached.
        foreach (MoshSession s in sessions)
        {
            s.Relay.Blackout = true;
        }
        foreach (MoshSession s in sessions)
        {
            await WaitForHostAsync(s.Server.Pid, $"mosh [{s.Server.Pid}]", TimeSpan.FromSeconds(50));
        }

        foreach (MoshSession s in sessions)
        {
            s.Relay.Blackout = false;
        }
        foreach (MoshSession s in sessions)
        {
            await WaitForHostAsync(s.Server.Pid, $"127.0.0.1 via mosh [{s.Server.Pid}]");
            await s.RunCommandAsync("back");
        }

        foreach (MoshSession s in sessions)
        {
            await s.Client.SendLineAsync("exit"); // a clean end removes the entries
            await s.Server.WaitForExitAsync(TimeSpan.FromSeconds(20));
        }
    }

    [Test]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public async Task Without_libutempter_the_session_runs_with_no_utmp_entry_and_no_complaint()
    {
        MoshPrograms ours = MoshPrograms.RequireOurs();
        string library = new FileInfo(LibutempterLink).LinkTarget is { } target
            ? Path.Combine(Path.GetDirectoryName(LibutempterLink)!, target)
            : LibutempterLink;
        // The server runs in a mount namespace where the library is /dev/null, so dlopen fails as if it were absent.
        using var scripts = new TempDirectory("mosh-e2e-noutempter-");
        string wrapper = scripts.File("mosh-server");
        await File.WriteAllTextAsync(wrapper,
            "#!/bin/sh\nexec unshare --mount --propagation private sh -c " +
            $"'mount --bind /dev/null {library} && exec \"$0\" \"$@\"' '{ours.Server}' \"$@\"\n");
        File.SetUnixFileMode(wrapper, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        await using MoshServer server = await MoshServer.StartAsync(wrapper, new MoshServerOptions { ExtraArguments = ["-v"] });
        await using TmuxSession client = await MoshClient.StartAsync(ours, server.Port, server.Key);
        await client.WaitForScreenAsync(TestShell.ShowsPrompt, "the prompt");
        await client.SendLineAsync(MoshSession.EchoCommand("no-utmp"));
        await client.WaitForLineAsync("no-utmp");

        string maps = await File.ReadAllTextAsync($"/proc/{server.Pid}/maps");
        Assert.Multiple(() =>
        {
            Assert.That(maps, Does.Not.Contain("libutempter"), "the library was not loaded");
            Assert.That(UtmpFile.LiveRecordOf(server.Pid), Is.Null, UtmpFile.Describe());
            Assert.That(server.Log, Does.Not.Contain("utempter").IgnoreCase);
        });
        await client.SendLineAsync("exit");
        await server.WaitForExitAsync(TimeSpan.FromSeconds(20));
    }

    private const string LibutempterLink = "/usr/lib/x86_64-linux-gnu/libutempter.so.0";

    /// <summary>Waits until process <paramref name="pid"/>'s live utmp record has the host text.</summary>
    internal static async Task<UtmpRecord> WaitForHostAsync(int pid, string host, TimeSpan? timeout = null)
    {
        UtmpRecord? record = null;
        await Poll.UntilAsync(() => (record = UtmpFile.LiveRecordOf(pid))?.Host == host, timeout ?? UtmpWait,
            () => $"utmp host \"{host}\" for pid {pid}; utmp now:\n{UtmpFile.Describe()}");
        return record!;
    }

    [GeneratedRegex(@"^/dev/(pts/\d+)\s*$", RegexOptions.Multiline)]
    private static partial Regex TtyLine();
}
