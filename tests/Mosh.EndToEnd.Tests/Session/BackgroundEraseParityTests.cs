using System.Text;
using Mosh.EndToEnd.Harness;

namespace Mosh.EndToEnd.Session;

/// <summary>
/// Erasing with a background colour set (bce: xterm-256color has it, and tmux honours it): erase, insert, delete
/// and scroll operations run on a screen of text with a blue background selected must look the same through mosh
/// as directly in tmux, in every pairing of ours and upstream's client and server. "Look" is what tmux draws for
/// a terminal (<see cref="TmuxView"/>: background per cell, text, cursor), not what its capture-pane reports: that
/// leaves out cells past the last one written on a line, so an EL in blue past the end of a shorter line (as
/// mosh's display draws it) captured as no colour at all though tmux shows it blue (issue 15's report).
/// </summary>
/// <remarks>
/// DL and SU are compared without the two blank lines they bring in at the bottom: mosh's emulators (ours and
/// upstream's alike) fill them in the background colour, as xterm does with bce, where tmux 3.3a leaves them in the
/// default background. The view itself cannot show a colour on the screen's bottom row (tmux never writes its last
/// cell), for every operation and every pairing alike.
/// </remarks>
[TestFixture]
[NonParallelizable]
public class BackgroundEraseParityTests
{
    private const string Esc = "\u001b";

    /// <summary>The operations, each applied at row 7, column 10 with SGR 44 selected (and left selected).</summary>
    /// <summary>Rows the two blank lines DL and SU bring in at the bottom occupy (see remarks), from the end.</summary>
    private const int LinesBroughtIn = 2;

    private static readonly (string Name, string Sequence, int IgnoredBottomRows)[] s_operations =
    [
        ("EL 0", "[0K", 0), ("EL 1", "[1K", 0), ("EL 2", "[2K", 0),
        ("ED 0", "[0J", 0), ("ED 1", "[1J", 0), ("ED 2", "[2J", 0),
        ("ECH", "[5X", 0), ("IL", "[2L", 0), ("DL", "[2M", LinesBroughtIn), ("SU", "[2S", LinesBroughtIn), ("SD", "[2T", 0),
        ("ICH", "[3@", 0), ("DCH", "[3P", 0),
    ];

    /// <summary>The view without the bottom <paramref name="rows"/> rows of the screen (the cursor line stays).</summary>
    private static string WithoutBottomRows(string view, int rows)
    {
        if (rows == 0)
        {
            return view;
        }

        string[] lines = view.Split('\n');
        int screenRows = lines.Length - 1; // the last line is the cursor
        return string.Join('\n', lines[..(screenRows - rows - 1)].Append(lines[^1]));
    }

    private static IEnumerable<TestCaseData> Pairings()
    {
        yield return new TestCaseData("ours", "ours").SetName("Our_client_with_our_server_erases_in_the_background_colour_as_tmux_does");
        yield return new TestCaseData("ours", "upstream").SetName("Our_client_with_upstreams_server_erases_in_the_background_colour_as_tmux_does");
        yield return new TestCaseData("upstream", "ours").SetName("Upstreams_client_with_our_server_erases_in_the_background_colour_as_tmux_does");
    }

    [TestCaseSource(nameof(Pairings))]
    public async Task Erases_inserts_deletes_and_scrolls_with_a_background_colour_look_the_same_through_mosh_as_directly_in_tmux(string client, string server)
    {
        using var directory = new TempDirectory("mosh-e2e-bce-");
        string script = await WriteScript(directory);
        await using MoshSession session = await MoshSession.StartAsync(
            MoshPrograms.Named(server), MoshPrograms.Named(client),
            new MoshServerOptions { Command = ["/bin/sh", script], ExtraArguments = ["-c", "256"] });
        await using TmuxSession direct = await TmuxSession.StartAsync(["/usr/bin/env", "TERM=xterm-256color", "/bin/sh", script]);
        await using TmuxView moshView = await session.Client.AttachViewAsync();
        await using TmuxView directView = await direct.AttachViewAsync();

        var differing = new List<string>();
        foreach ((string name, _, int ignoredBottomRows) in s_operations)
        {
            string marker = $"done: {name}";
            await direct.WaitForTextAsync(marker);
            await session.Client.WaitForTextAsync(marker);
            string throughMosh = "", plain = "";
            try
            {
                // mosh sends frames as they settle: poll until the panes agree, then judge.
                await Poll.UntilAsync(
                    async () => (throughMosh = WithoutBottomRows(await moshView.ScreenAsync(), ignoredBottomRows))
                        == (plain = WithoutBottomRows(await directView.ScreenAsync(), ignoredBottomRows)),
                    TimeSpan.FromSeconds(5), () => "the screens to agree");
            }
            catch (TimeoutException)
            {
                // Recorded below.
            }

            if (throughMosh != plain)
            {
                differing.Add(name);
                TestContext.Out.WriteLine($"{name} differs:\n--- through mosh\n{throughMosh}\n--- directly\n{plain}");
            }

            await Task.WhenAll(session.Client.SendKeysAsync("Enter"), direct.SendKeysAsync("Enter"));
        }

        TestContext.Out.WriteLine($"client {client}, server {server}: {differing.Count} of {s_operations.Length} differ: {string.Join(", ", differing)}");
        Assert.That(differing, Is.Empty);
    }

    private static async Task<string> WriteScript(TempDirectory directory)
    {
        var script = new StringBuilder("stty -echo\n");
        for (int i = 0; i < s_operations.Length; i++)
        {
            var screen = new StringBuilder($"{Esc}[0m{Esc}[H{Esc}[2J");
            for (int line = 1; line <= 12; line++)
            {
                screen.Append($"line {line} of text, long enough to be erased in part\r\n");
            }

            screen.Append($"{Esc}[44m{Esc}[7;10H{Esc}{s_operations[i].Sequence}{Esc}[20;1Hdone: {s_operations[i].Name}");
            string file = directory.File($"case{i}.txt");
            await File.WriteAllTextAsync(file, screen.ToString());
            script.Append($"cat '{file}'; read x\n");
        }

        script.Append("exec sleep 1000\n");
        string path = directory.File("show.sh");
        await File.WriteAllTextAsync(path, script.ToString());
        return path;
    }
}
