using System.Text.RegularExpressions;
using Mosh.EndToEnd.Harness;

namespace Mosh.EndToEnd.Session;

/// <summary>
/// <c>mosh-server new -v</c> detaches as usual (the first process exits 0 after the detached line) but the daemon
/// keeps its stderr and writes upstream's transport trace there; Debian's mosh-server is held to the same lines.
/// </summary>
[TestFixture]
[NonParallelizable]
public partial class VerboseServerTests
{
    public static IEnumerable<TestCaseData> Servers()
    {
        yield return new TestCaseData("ours").SetArgDisplayNames("ours");
        yield return new TestCaseData("upstream").SetArgDisplayNames("upstream");
    }

    [TestCaseSource(nameof(Servers))]
    public async Task Verbose_server_detaches_and_traces_fragments_sent_states_received_and_the_clients_address(string which)
    {
        MoshPrograms programs = MoshPrograms.Named(which);
        await using MoshServer server = await MoshServer.StartAsync(programs, new MoshServerOptions { ExtraArguments = ["-v"] });
        Assert.That(server.HasExited, Is.False, "the daemon runs on after the first process has exited");

        await using TmuxSession client = await MoshClient.StartAsync(programs, server.Port, server.Key);
        await client.WaitForScreenAsync(TestShell.ShowsPrompt, "the prompt");
        await client.SendLineAsync(MoshSession.EchoCommand("traced"));
        await client.WaitForLineAsync("traced");

        await Poll.UntilAsync(() => SentLine().IsMatch(server.Log) && ReceivedLine().IsMatch(server.Log), TimeSpan.FromSeconds(10),
            () => "the transport trace; log:\n" + server.Log);
        Assert.That(server.Log, Does.Match(@"(?m)^Server now attached to client at 127\.0\.0\.1:\d+$"));
        Assert.That(SentLine().Matches(server.Log).Select(m => m.Groups["new"].Value), Does.Contain("1"),
            "the first state (the shell's screen) goes out as state 1");

        await client.SendLineAsync("exit");
        await server.WaitForExitAsync(TimeSpan.FromSeconds(20));
        Assert.That(server.Log, Does.Match(@"(?m)^\[\d+\] Sent \[\d+=>-1\] "), "the shutdown state shows as -1");
    }

    [GeneratedRegex(@"(?m)^\[\d{1,5}\] Sent \[\d+=>(?<new>-?\d+)\] id \d+, frag \d+ ack=\d+, throwaway=\d+, len=\d+, frame rate=\d+\.\d\d, timeout=\d+, srtt=\d+\.\d$")]
    private static partial Regex SentLine();

    [GeneratedRegex(@"(?m)^\[\d{1,5}\] Received state \d+ \[coming from \d+, ack \d+\]$")]
    private static partial Regex ReceivedLine();
}
