using System.Text;
using Mosh.EndToEnd.Harness;
using Mosh.Terminal;

namespace Mosh.EndToEnd.Terminal;

/// <summary>
/// Real programs' output through our emulator looks the same as in a real terminal: a byte stream recorded at
/// test time (a program run under <c>script</c> in an 80x24 tmux pane, xterm-256color unless a test says otherwise) is shown once straight in
/// a fresh tmux pane and once as our <see cref="Emulator"/> plus <c>Display.NewFrame</c> redraw it (in one full
/// frame, and as incremental frames per chunk); <c>capture-pane -p -e</c> (text and attributes) and the cursor
/// position must match.
/// </summary>
[TestFixture]
internal sealed class RecordedStreamTmuxTests
{
    private const int Width = 80, Height = 24;
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    [Test]
    public async Task Colored_ls_listing_that_scrolls_looks_the_same_through_the_emulator() =>
        await AssertSameThroughEmulator(await Record("ls --color=always -la /usr/bin | head -60"), "root root");

    [Test]
    public async Task Sgr_colour_and_attribute_samples_look_the_same_through_the_emulator()
    {
        // Only the eight basic colours as 30-37/40-47: the bright ones (90-97/100-107) are redrawn, as upstream
        // mosh redraws them, as 256-colour indices 8-15 (38;5;N): the same colours in xterm's palette, but tmux keeps
        // the two spellings apart in capture-pane, so those would differ by design rather than by a bug.
        var script = new StringBuilder();
        for (int i = 0; i < 8; i++)
        {
            script.Append($"\\033[{30 + i}m fg{i} \\033[{40 + i}m bg{i} \\033[0m");
        }

        script.Append("\\n");
        // 256-colour indices from 16 on, for the same reason: 38;5;0-7 are stored as, and redrawn as, 30-37.
        for (int i = 16; i < 256; i += 5)
        {
            script.Append($"\\033[38;5;{i}m{i % 10}\\033[48;5;{271 - i}mx");
        }

        script.Append("\\033[0m\\n");
        for (int i = 0; i < 64; i++)
        {
            script.Append($"\\033[38;2;{i * 4};{255 - i * 4};{i * 2}m\\033[48;2;{i};{i * 3};{200 - i}m*");
        }

        // Faint (SGR 2) is left out: upstream mosh's renditions have no faint attribute, and nor do ours.
        script.Append("\\033[0m\\n\\033[1mbold\\033[0m \\033[3mitalic\\033[0m \\033[4munderline\\033[0m ");
        script.Append("\\033[5mblink\\033[0m \\033[7minverse\\033[0m \\033[8minvisible\\033[0m \\033[1;4;31;42mmixed\\033[22;24mplain\\033[39;49m\\n");
        script.Append("tabs:\\tone\\ttwo\\t\\tthree\\nwide: 中文字 naïve e\\314\\201 emoji😀 end\\n");
        script.Append("\\033[44m a long line with a coloured background that wraps past the right margin of the eighty column pane onto the next\\033[0m\\n");
        script.Append("\\033[33mpartly \\033[Kerased\\033[0m\\033[5;60H\\033[45m  \\033[0m\\033[20;1H");
        await AssertSameThroughEmulator(await Record($"printf '{script}'"), "inverse");
    }

    [Test]
    public async Task Less_paging_a_file_then_quitting_looks_the_same_through_the_emulator()
    {
        using var directory = new TempDirectory("mosh-e2e-recorded-less-");
        await File.WriteAllLinesAsync(directory.File("text.txt"), Enumerable.Range(1, 100).Select(i => $"line {i}: the quick brown fox jumps over the lazy dog {i * 7}"));
        byte[] stream = await Record("less -X text.txt", directory.Path, async pane =>
        {
            await pane.WaitForTextAsync("line 23:");
            await pane.SendKeysAsync("Space");
            await pane.WaitForTextAsync("line 45:");
            await pane.SendKeysAsync("q");
        });
        await AssertSameThroughEmulator(stream, "line 45:");
    }

    [Test]
    public async Task Vim_editing_a_file_without_the_alternate_screen_looks_the_same_through_the_emulator()
    {
        // The alternate screen is switched off (t_ti/t_te empty): mosh does not keep a second screen, so a program
        // that uses it leaves a different final screen by design.
        using var directory = new TempDirectory("mosh-e2e-recorded-vim-");
        await File.WriteAllLinesAsync(directory.File("text.txt"), Enumerable.Range(1, 40).Select(i => $"{i}\tint value{i} = {i * i}; // comment"));
        byte[] stream = await Record("vim.tiny -u NONE -N -i NONE -n --cmd \"set t_ti= t_te=\" text.txt", directory.Path, async pane =>
        {
            await pane.WaitForTextAsync("value22 = 484");
            await pane.SendTextAsync("jjjwwOinserted line");
            await pane.SendKeysAsync("Escape");
            await pane.WaitForTextAsync("inserted line");
            await pane.SendTextAsync(":q!");
            await pane.SendKeysAsync("Enter");
        });
        await AssertSameThroughEmulator(stream, "inserted line");
    }

    [Test]
    public async Task Vim_scrolling_and_deleting_lines_looks_the_same_through_the_emulator()
    {
        // Scrolling a few lines, deleting lines and opening one mid-screen: vim draws these with scroll regions,
        // insert/delete line and index (t_ti/t_te empty, as above).
        using var directory = new TempDirectory("mosh-e2e-recorded-vim-scroll-");
        await File.WriteAllLinesAsync(directory.File("text.txt"), Enumerable.Range(1, 80).Select(i => $"row {i} \u00e9t\u00e9 \u4e2d\u6587 {new string('=', i % 50)}"));
        byte[] stream = await Record("vim.tiny -u NONE -N -i NONE -n --cmd \"set t_ti= t_te=\" text.txt", directory.Path, async pane =>
        {
            await pane.WaitForTextAsync("row 23 ");
            await pane.SendKeysAsync("C-e", "C-e", "C-e");
            await pane.WaitForTextAsync("row 26 ");
            await pane.SendTextAsync("10jddddkOopened here");
            await pane.SendKeysAsync("Escape");
            await pane.WaitForTextAsync("opened here");
            await pane.SendKeysAsync("C-y");
            await pane.WaitForLineAsync("row 3 \u00e9t\u00e9 \u4e2d\u6587 ===");
            await pane.SendTextAsync(":q!");
            await pane.SendKeysAsync("Enter");
        });
        await AssertSameThroughEmulator(stream, "opened here");
    }

    [Test]
    public async Task Htop_refreshing_its_meters_and_process_list_looks_the_same_through_the_emulator()
    {
        // htop draws on the alternate screen (smcup), which mosh, like upstream, does not keep; its exit (rmcup)
        // would bring back a main screen that only the direct pane has. So htop is killed (SIGKILL) while it is
        // on screen and the recording holds no exit sequence at all: the compared screen is htop's last frame.
        // TERM=xterm (eight colours): with xterm-256color htop paints its grey text as bright black (90), which
        // mosh redraws, as upstream does, as 38;5;8 (see the SGR test), a difference by design. A private HTOPRC
        // keeps the user's configuration out (and is never written: htop saves it only when it quits). The shell's
        // "Killed" notice goes to /dev/null: htop leaves the tty raw (no onlcr), so the notice's bare newline would
        // reach the replay panes through their cooked ptys as CR LF but reach our emulator as LF alone.
        using var directory = new TempDirectory("mosh-e2e-recorded-htop-");
        byte[] stream = await Record("{ HTOPRC=./htoprc htop -d 10; } 2>/dev/null; true", directory.Path, async pane =>
        {
            await pane.WaitForTextAsync("Load average:");
            await pane.WaitForTextAsync("F10Quit");
            // A moment on screen: at -d 10 htop redraws its meters and process list once a second.
            await Task.Delay(TimeSpan.FromSeconds(1.5));
            int[] htop = [.. pane.Tag.FindProcesses().Where(pid => ProcessName(pid) == "htop")];
            Assert.That(htop, Has.Length.EqualTo(1), "htop's process");
            ProcessTag.Signal(htop[0], 9);
        }, term: "xterm");
        Assert.That(stream.AsSpan().IndexOf("\e[?1049h"u8), Is.GreaterThanOrEqualTo(0), "htop switched to the alternate screen");
        Assert.That(stream.AsSpan().IndexOf("\e[?1049l"u8), Is.LessThan(0), "the recording ends while htop is on screen");
        await AssertSameThroughEmulator(stream, "Load average:");
    }

    /// <summary>Runs <paramref name="command"/> under <c>script</c> in an 80x24 tmux pane and returns the bytes
    /// the program wrote to its terminal (script's header and trailer lines removed).</summary>
    private static async Task<byte[]> Record(string command, string? workingDirectory = null, Func<TmuxSession, Task>? drive = null, string term = "xterm-256color")
    {
        using var directory = new TempDirectory("mosh-e2e-recording-");
        string recording = directory.File("recording.bin");
        var options = new TmuxOptions { Width = Width, Height = Height, WorkingDirectory = workingDirectory, Term = term };
        await using TmuxSession pane = await TmuxSession.StartAsync(["script", "-q", "-e", "-c", command, recording], options);
        if (drive is not null)
        {
            await drive(pane);
        }

        Assert.That(await pane.WaitForExitAsync(Wait), Is.Zero, $"`{command}` exits cleanly");
        byte[] raw = await File.ReadAllBytesAsync(recording);
        int start = Array.IndexOf(raw, (byte)'\n') + 1;
        int end = LastIndexOf(raw, "\nScript done on "u8);
        Assert.That(start, Is.GreaterThan(0), "script's header line");
        Assert.That(end, Is.GreaterThanOrEqualTo(start), "script's trailer line");
        return raw[start..end];
    }

    private static async Task AssertSameThroughEmulator(byte[] stream, string shown)
    {
        var emulator = new Emulator(Width, Height);
        emulator.Write(stream);
        Framebuffer final = emulator.Framebuffer.Clone();
        Assert.That(PaneText.Of(final), Does.Contain(shown), "the recording left the program's output on the screen");
        byte[] full = Encoding.UTF8.GetBytes(Display.ForServer().NewFrame(false, new Framebuffer(Width, Height), final));

        // Chunks of a size that splits escape sequences and UTF-8 characters; one incremental frame each.
        var display = Display.ForServer();
        var chunked = new Emulator(Width, Height);
        var incremental = new StringBuilder();
        Framebuffer previous = new(Width, Height);
        for (int offset = 0; offset < stream.Length; offset += 97)
        {
            chunked.Write(stream.AsSpan(offset, Math.Min(97, stream.Length - offset)));
            Framebuffer next = chunked.Framebuffer.Clone();
            incremental.Append(display.NewFrame(offset > 0, previous, next));
            previous = next;
        }

        using var directory = new TempDirectory("mosh-e2e-recorded-");
        await using TmuxSession direct = await Show(directory, "direct", stream);
        await using TmuxSession drawn = await Show(directory, "full", full);
        await using TmuxSession drawnIncrementally = await Show(directory, "incremental", Encoding.UTF8.GetBytes(incremental.ToString()));

        string text = PaneText.Of(final);
        string expected = await SettledScreen(direct, directory, "direct", text);
        Assert.That(await SettledScreen(drawn, directory, "full", text), Is.EqualTo(expected), "one full frame: text and attributes");
        Assert.That(await SettledScreen(drawnIncrementally, directory, "incremental", text), Is.EqualTo(expected), "incremental frames: text and attributes");

        string cursor = await direct.DisplayAsync("#{cursor_x},#{cursor_y}");
        Assert.That(await drawn.DisplayAsync("#{cursor_x},#{cursor_y}"), Is.EqualTo(cursor), "cursor after one full frame");
        Assert.That(await drawnIncrementally.DisplayAsync("#{cursor_x},#{cursor_y}"), Is.EqualTo(cursor), "cursor after incremental frames");
    }

    /// <summary>A fresh 80x24 pane that shows <paramref name="bytes"/> (terminal answers are not echoed) and
    /// then marks the output done.</summary>
    private static async Task<TmuxSession> Show(TempDirectory directory, string name, byte[] bytes)
    {
        string file = directory.File(name + ".bin");
        await File.WriteAllBytesAsync(file, bytes);
        return await TmuxSession.StartAsync(
            ["/bin/sh", "-c", $"stty -echo; cat '{file}'; : > '{directory.File(name + ".done")}'; exec sleep 100"],
            new TmuxOptions { Width = Width, Height = Height });
    }

    /// <summary>The pane's <c>capture-pane -p -e</c> once its output is written and its text is the emulator's
    /// <paramref name="text"/>, or when that deadline passes (so the caller's assertion shows the difference).</summary>
    private static async Task<string> SettledScreen(TmuxSession pane, TempDirectory directory, string name, string text)
    {
        await Poll.UntilAsync(() => File.Exists(directory.File(name + ".done")), Wait, $"the {name} pane's output written");
        try
        {
            await Poll.UntilAsync(async () => PaneText.Trimmed(await pane.CapturePaneAsync()) == text, TimeSpan.FromSeconds(10), () => $"the {name} pane");
        }
        catch (TimeoutException)
        {
            // A different screen: compared (and reported) by the caller.
        }

        return await pane.TmuxAsync("capture-pane", "-p", "-e", "-t", "main");
    }

    private static string ProcessName(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/comm").TrimEnd('\n');
        }
        catch (IOException)
        {
            return "";
        }
    }

    private static int LastIndexOf(byte[] haystack, ReadOnlySpan<byte> needle) => haystack.AsSpan().LastIndexOf(needle);
}
