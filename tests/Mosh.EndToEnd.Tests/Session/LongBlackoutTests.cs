using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Mosh.EndToEnd.Harness;

namespace Mosh.EndToEnd.Session;

/// <summary>
/// A 20-second outage, as the issue describes it: the client counts the silence on its top row, hops to new source
/// ports (after 10 s without a round trip), and once the network is back the session recovers by itself.
/// </summary>
[TestFixture]
[NonParallelizable]
public partial class LongBlackoutTests
{
    private static readonly TimeSpan Blackout = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(30);

    [GeneratedRegex(@"^mosh: Last contact (\d+) seconds ago\. \[To quit: Ctrl-\^ \.\]")]
    private static partial Regex LastContactBar();

    [Test]
    public async Task Through_a_20_second_blackout_the_bar_counts_up_the_client_hops_ports_and_the_session_recovers_by_itself()
    {
        MoshPrograms ours = MoshPrograms.RequireOurs();
        await using MoshSession session = await MoshSession.StartAsync(ours);
        UdpRelay relay = session.Relay;
        await session.RunCommandAsync("before");
        int clientPortsBefore = relay.ClientPortsSeen;

        relay.Blackout = true;
        var stopwatch = Stopwatch.StartNew();
        var seconds = new List<int>(); // each distinct N the bar showed, in order
        string top = "";
        bool typed = false;
        while (stopwatch.Elapsed < Blackout)
        {
            top = (await session.Client.CapturePaneAsync()).Split('\n')[0];
            Match bar = LastContactBar().Match(top);
            if (bar.Success)
            {
                int n = int.Parse(bar.Groups[1].Value, CultureInfo.InvariantCulture);
                if (seconds.Count == 0 || seconds[^1] != n)
                {
                    seconds.Add(n);
                }
                if (!typed)
                {
                    // Typed into the outage: it must arrive once the network is back.
                    await session.Client.SendLineAsync(MoshSession.EchoCommand("typedblind"));
                    typed = true;
                }
            }
            await Task.Delay(200);
        }
        relay.Blackout = false;
        TestContext.Out.WriteLine($"bar during {stopwatch.ElapsedMilliseconds} ms of blackout showed N = {string.Join(", ", seconds)}; {relay}");

        Assert.That(seconds, Is.Not.Empty, "the last-contact bar never showed; top row: " + top);
        Assert.That(seconds, Is.Ordered, "N only grows while nothing arrives");
        Assert.That(seconds[^1] - seconds[0], Is.GreaterThanOrEqualTo(5), "N counts the silence");
        Assert.That(seconds[^1], Is.GreaterThanOrEqualTo(12), "N reaches well into the 20 s");
        if (!typed)
        {
            await session.Client.SendLineAsync(MoshSession.EchoCommand("typedblind"));
        }

        await Poll.UntilAsync(
            async () => !(top = (await session.Client.CapturePaneAsync()).Split('\n')[0]).StartsWith("mosh: ", StringComparison.Ordinal),
            Generous,
            () => "the bar to go; top row: " + top);
        await session.Client.WaitForLineAsync("typedblind", Generous);
        await session.RunCommandAsync("after", Generous);
        TestContext.Out.WriteLine($"recovered {stopwatch.ElapsedMilliseconds - (long)Blackout.TotalMilliseconds} ms after the blackout; client source ports seen {relay.ClientPortsSeen}; {relay}");

        Assert.That(relay.ClientPortsSeen, Is.GreaterThan(clientPortsBefore), "the client hopped to a new source port during the outage");
        string[] expected =
        [
            TestShell.Prompt + MoshSession.EchoCommand("before"), "before",
            TestShell.Prompt + MoshSession.EchoCommand("typedblind"), "typedblind",
            TestShell.Prompt + MoshSession.EchoCommand("after"), "after",
            TestShell.Prompt.TrimEnd(),
        ];
        string screen = await session.WaitForPromptAsync();
        Assert.That(screen.Split('\n').Select(line => line.TrimEnd()).Where(line => line.Length > 0), Is.EqualTo(expected), screen);
        relay.ThrowIfFailed();
    }
}
