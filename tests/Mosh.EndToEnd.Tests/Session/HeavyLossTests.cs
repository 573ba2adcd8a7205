using Mosh.EndToEnd.Harness;

namespace Mosh.EndToEnd.Session;

/// <summary>30% of datagrams lost each way: every keystroke and every byte of output still gets through, and the
/// client's screen ends up the same as the same keystrokes give directly in tmux.</summary>
[TestFixture]
[NonParallelizable]
public class HeavyLossTests
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(30);

    /// <summary>Commands and a line each prints (never the typed line itself).</summary>
    private static readonly (string Command, string Prints)[] Commands =
    [
        (@"printf '\033[1m\033[31mred\033[0m \033[42mon green\033[0m plain\n'", "red on green plain"),
        ("seq 1 6 | tac", "1"),
        ("echo \"typed through\"\" 30% loss\"", "typed through 30% loss"),
    ];

    [Test]
    public async Task With_30_percent_loss_both_ways_keystrokes_and_output_arrive_and_the_screen_matches_tmux()
    {
        MoshPrograms ours = MoshPrograms.RequireOurs();
        await using MoshSession session = await MoshSession.StartAsync(ours);
        await using TmuxSession direct = await TmuxSession.StartAsync(TestShell.Command);
        await direct.WaitForScreenAsync(TestShell.ShowsPrompt, "the direct shell's prompt");
        session.Relay.Impair(new RelayImpairment { LossProbability = 0.3 });

        foreach ((string command, string prints) in Commands)
        {
            // One key at a time, so each keystroke travels in its own datagrams and many are lost (no ';': a lone
            // one is tmux's command separator).
            foreach (char key in command)
            {
                await session.Client.SendTextAsync(key.ToString());
            }
            await session.Client.SendKeysAsync("Enter");
            await direct.SendLineAsync(command);
            // The next command waits for this one's output and prompt, so no typeahead garbles either screen.
            bool done(string screen) => TestShell.ShowsPrompt(screen) && screen.Split('\n').Any(line => line.TrimEnd() == prints);
            await session.Client.WaitForScreenAsync(done, $"`{command}` through mosh; {session.Relay}", Generous);
            await direct.WaitForScreenAsync(done, $"`{command}` directly");
        }

        TestContext.Out.WriteLine(session.Relay.ToString());
        await PaneAgreement.AssertSameScreenAsync(session.Client, direct, Generous);
        Assert.That(session.Relay.ToServerCounters.Dropped, Is.Positive, "datagrams to the server were lost: " + session.Relay);
        Assert.That(session.Relay.ToClientCounters.Dropped, Is.Positive, "datagrams to the client were lost: " + session.Relay);
        session.Relay.ThrowIfFailed();
    }
}
