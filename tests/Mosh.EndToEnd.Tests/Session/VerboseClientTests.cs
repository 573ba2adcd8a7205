using Mosh.EndToEnd.Harness;

namespace Mosh.EndToEnd.Session;

/// <summary>
/// <c>mosh-client -v</c> (the wrapper never passes it; a user debugging runs the client by hand with stderr
/// redirected) writes upstream's transport trace to stderr and self-checks every diff of its keystroke stream,
/// as upstream's client does: our client and Debian's, each against our server.
/// </summary>
[TestFixture]
[NonParallelizable]
public class VerboseClientTests
{
    [TestCaseSource(typeof(MoshPrograms), nameof(MoshPrograms.BothNames))]
    public async Task Verbose_client_traces_its_transport_and_self_checks_its_keystroke_diffs(string which)
    {
        MoshPrograms ours = MoshPrograms.RequireOurs();
        MoshPrograms client = MoshPrograms.Named(which);
        using var directory = new TempDirectory();
        string log = directory.File("client-stderr");
        await using MoshServer server = await MoshServer.StartAsync(ours);
        await using (TmuxSession session = await MoshClient.StartAsync(client.Client, server.Port, server.Key,
            launcher: ["sh", "-c", $"exec \"$0\" -v \"$@\" 2>>{log}"]))
        {
            await session.WaitForScreenAsync(TestShell.ShowsPrompt, "the prompt");
            await session.SendLineAsync(MoshSession.EchoCommand("typed"));
            await session.WaitForLineAsync("typed");
            await session.ResizeAsync(100, 30);
            await session.SendLineAsync("stty size; " + MoshSession.EchoCommand("resized"));
            await session.WaitForLineAsync("resized");
            await session.SendLineAsync("exit");
            await server.WaitForExitAsync(TimeSpan.FromSeconds(20));
        }

        string text = (await File.ReadAllTextAsync(log)).Replace("\r", "", StringComparison.Ordinal);
        int sent = VerboseServerTests.SentLine().Count(text);
        TestContext.Out.WriteLine($"{which} client: {sent} fragments traced");
        Assert.Multiple(() =>
        {
            Assert.That(sent, Is.GreaterThan(2), "the keystrokes and the resize went out traced; log:\n" + text);
            Assert.That(VerboseServerTests.ReceivedLine().IsMatch(text), Is.True, "the server's states received are traced");
            Assert.That(text, Does.Not.Contain("verification failed"), "log:\n" + text);
        });
    }
}
