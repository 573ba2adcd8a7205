using System.Text;
using Mosh.EndToEnd.Harness;

namespace Mosh.EndToEnd.Session;

/// <summary>
/// OSC 52 copies through a session into the user's tmux (set-clipboard on; the copy lands in tmux's newest paste
/// buffer). Between our client and our server a copy up to the largest tmux itself takes (its 1 MiB input limit:
/// 786,426 bytes in base64) arrives whole, through the clipboard extension; with an upstream peer, what upstream
/// carries (its emulator keeps 16,379 base64 characters: 12,000 bytes fit).
/// </summary>
[TestFixture]
[NonParallelizable]
public class LargeClipboardTests
{
    /// <summary>The largest copy tmux 3.3a accepts: "52;c;" and the base64 text fill its 1 MiB input buffer.</summary>
    private const int LargestCopyTmuxTakes = 786_426;

    private static IEnumerable<TestCaseData> Cases()
    {
        yield return new TestCaseData("ours", "ours", new[] { 50_000, LargestCopyTmuxTakes })
            .SetName("Our_client_with_our_server_carries_copies_up_to_the_largest_tmux_takes_whole");
        yield return new TestCaseData("ours", "upstream", new[] { 12_000 })
            .SetName("Our_client_with_upstreams_server_carries_what_upstream_carries_whole");
        yield return new TestCaseData("upstream", "ours", new[] { 12_000 })
            .SetName("Upstreams_client_with_our_server_carries_what_upstream_carries_whole");
    }

    [TestCaseSource(nameof(Cases))]
    public async Task An_osc_52_copy_reaches_the_users_tmux_buffer_intact(string client, string server, int[] sizes)
    {
        using var directory = new TempDirectory("mosh-e2e-clipboard-");
        var script = new StringBuilder("stty -echo\n");
        var payloads = new List<byte[]>();
        for (int i = 0; i < sizes.Length; i++)
        {
            byte[] payload = new byte[sizes[i]];
            new Random(sizes[i]).NextBytes(payload);
            payloads.Add(payload);
            string file = directory.File($"copy{i}.txt");
            await File.WriteAllTextAsync(file, $"\u001b]52;c;{Convert.ToBase64String(payload)}\u0007");
            script.Append($"read x; cat '{file}'; echo copied-{sizes[i]}\n");
        }

        script.Append("exec sleep 1000\n");
        string path = directory.File("copy.sh");
        await File.WriteAllTextAsync(path, script.ToString());

        await using MoshSession session = await MoshSession.StartAsync(
            MoshPrograms.Named(server), MoshPrograms.Named(client), new MoshServerOptions { Command = ["/bin/sh", path] });
        await session.Client.TmuxAsync("set-option", "-g", "set-clipboard", "on");

        string saved = directory.File("buffer.bin");
        for (int i = 0; i < sizes.Length; i++)
        {
            await session.Client.SendKeysAsync("Enter");
            await session.Client.WaitForTextAsync($"copied-{sizes[i]}");
            byte[] expected = payloads[i];
            byte[] got = [];
            await Poll.UntilAsync(
                async () =>
                {
                    ProcessResult result = await ProcessRunner.RunAsync(
                        new ProcessSpec("/usr/bin/tmux", "-S", session.Client.SocketPath, "save-buffer", saved), TimeSpan.FromSeconds(20));
                    got = result.ExitCode == 0 && File.Exists(saved) ? await File.ReadAllBytesAsync(saved) : [];
                    return got.AsSpan().SequenceEqual(expected);
                },
                TimeSpan.FromSeconds(60),
                () => $"the {sizes[i]}-byte copy in tmux's buffer (newest buffer has {got.Length} bytes)");
        }
    }

    [Test]
    public async Task A_copy_as_large_as_tmux_takes_does_not_hold_back_the_screen_on_a_slow_link()
    {
        using var directory = new TempDirectory("mosh-e2e-clipboard-");
        byte[] payload = new byte[LargestCopyTmuxTakes];
        new Random(1).NextBytes(payload);
        string copy = directory.File("copy.txt");
        await File.WriteAllTextAsync(copy, $"\u001b]52;c;{Convert.ToBase64String(payload)}\u0007");
        string path = directory.File("copy.sh");
        // The script notes each step in a file, so a timeout tells a lost Enter from a stuck cat from a stale screen.
        string steps = directory.File("steps.txt");
        await File.WriteAllTextAsync(
            path,
            $"stty -echo\nread x; echo enter-read >> '{steps}'; cat '{copy}'; echo copy-written >> '{steps}'; echo printed-after-the-copy\n"
            + $"echo text-written >> '{steps}'\nexec sleep 1000\n");

        await using MoshSession session = await MoshSession.StartAsync(
            MoshPrograms.RequireOurs(), MoshPrograms.RequireOurs(), new MoshServerOptions { Command = ["/bin/sh", path] },
            configureRelay: (_, relay) => relay.Impair(new RelayImpairment { DelayMs = 100 }));
        await session.Client.TmuxAsync("set-option", "-g", "set-clipboard", "on");
        string saved = directory.File("buffer.bin");

        var clock = System.Diagnostics.Stopwatch.StartNew();
        await session.Client.SendKeysAsync("Enter");
        try
        {
            await session.Client.WaitForTextAsync("printed-after-the-copy");
        }
        catch (TimeoutException e)
        {
            string done = File.Exists(steps) ? (await File.ReadAllTextAsync(steps)).ReplaceLineEndings(", ") : "none";
            throw new TimeoutException($"{e.Message}\nthe script's steps done: {done}\nrelay: {session.Relay}", e);
        }

        TimeSpan textShown = clock.Elapsed;
        byte[] whenTheTextShowed = await NewestBufferAsync(session.Client, saved);
        Assert.That(whenTheTextShowed, Is.Not.EqualTo(payload), "the text printed after the copy shows before the copy is through");
        await Poll.UntilAsync(
            async () => (await NewestBufferAsync(session.Client, saved)).AsSpan().SequenceEqual(payload),
            TimeSpan.FromSeconds(60), () => "the copy in tmux's buffer");
        TestContext.Out.WriteLine($"100 ms each way: text after the copy shown at {textShown.TotalSeconds:F2} s, the copy whole at {clock.Elapsed.TotalSeconds:F2} s");
    }

    private static async Task<byte[]> NewestBufferAsync(TmuxSession pane, string file)
    {
        File.Delete(file);
        ProcessResult result = await ProcessRunner.RunAsync(
            new ProcessSpec("/usr/bin/tmux", "-S", pane.SocketPath, "save-buffer", file), TimeSpan.FromSeconds(20));
        return result.ExitCode == 0 && File.Exists(file) ? await File.ReadAllBytesAsync(file) : [];
    }
}
