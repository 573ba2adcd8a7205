using System.Globalization;
using System.Text;

namespace Mosh.EndToEnd.Harness;

/// <summary>
/// What a tmux session shows, rather than what it stores: a tmux client attached to the session, running in the
/// pane of a second tmux whose capture is read. capture-pane reports a line's cells only up to the last one
/// written, so cells erased in a background colour past that point (tmux keeps them, and draws them) are missing
/// from the session's own capture; the attached client draws them to a terminal without bce or line and character
/// insertion and deletion (screen's entry less those), that is as coloured spaces, which the second tmux stores as written cells.
/// </summary>
internal sealed class TmuxView : IAsyncDisposable
{
    private readonly TmuxSession viewer;
    private readonly TempDirectory terminfo;

    private TmuxView(TmuxSession viewer, TempDirectory terminfo)
    {
        this.viewer = viewer;
        this.terminfo = terminfo;
    }

    /// <summary>
    /// screen's capabilities that move or clear cells in the terminal without writing them: without them (and
    /// without bce, which screen lacks) tmux draws every changed cell, so the viewing tmux's capture has them all.
    /// </summary>
    private static readonly string[] s_cellMovingCapabilities =
        ["csr", "dl", "dl1", "il", "il1", "indn", "rin", "ri", "ich", "dch", "dch1", "smir", "rmir", "el1", "ed"];

    public static async Task<TmuxView> AttachAsync(TmuxSession session)
    {
        string width = await session.DisplayAsync("#{pane_width}").ConfigureAwait(false);
        string height = await session.DisplayAsync("#{pane_height}").ConfigureAwait(false);
        var terminfo = new TempDirectory("mosh-e2e-view-");
        try
        {
            ProcessResult screen = (await ProcessRunner.RunAsync(new ProcessSpec("/usr/bin/infocmp", "-x", "screen"), TimeSpan.FromSeconds(20)).ConfigureAwait(false)).EnsureSuccess();
            string source = screen.Stdout.Replace("screen|VT 100/ANSI X3.64 virtual terminal,", "mosh-e2e-view|screen drawing every cell,", StringComparison.Ordinal);
            foreach (string capability in s_cellMovingCapabilities)
            {
                source = System.Text.RegularExpressions.Regex.Replace(source, $@"(?<=[\s,]){capability}=(\\,|[^,])*,", "");
            }

            string file = terminfo.File("mosh-e2e-view.src");
            await File.WriteAllTextAsync(file, source).ConfigureAwait(false);
            (await ProcessRunner.RunAsync(new ProcessSpec("/usr/bin/tic", "-x", "-o", terminfo.Path, file), TimeSpan.FromSeconds(20)).ConfigureAwait(false)).EnsureSuccess();
            TmuxSession viewer = await TmuxSession.StartAsync(
                ["/usr/bin/env", $"TERMINFO={terminfo.Path}", "TERM=mosh-e2e-view", "/usr/bin/tmux", "-S", session.SocketPath, "attach-session", "-t", "main"],
                new TmuxOptions { Width = int.Parse(width, CultureInfo.InvariantCulture), Height = int.Parse(height, CultureInfo.InvariantCulture) }).ConfigureAwait(false);
            return new TmuxView(viewer, terminfo);
        }
        catch
        {
            terminfo.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The screen as drawn: per line, runs of cells in one background (SGR 4x/10x/48 as given, "-" for the default)
    /// with their text, blank cells in the default background at the end of a line dropped (they look like
    /// nothing), then the cursor. Only the background and reverse video are kept: they are what an erase changes.
    /// </summary>
    public async Task<string> ScreenAsync()
    {
        string capture = await viewer.CapturePaneAsync(withEscapes: true, keepTrailingBlanks: true).ConfigureAwait(false);
        var screen = new StringBuilder();
        foreach (string line in capture.Split('\n'))
        {
            AppendCells(screen, line);
            screen.Append('\n');
        }

        return screen.Append(await viewer.DisplayAsync("cursor #{cursor_x},#{cursor_y}").ConfigureAwait(false)).ToString();
    }

    private static void AppendCells(StringBuilder screen, string line)
    {
        var cells = new List<(char Text, string Background)>();
        string background = "-";
        bool reverse = false;
        for (int i = 0; i < line.Length; i++)
        {
            if (line[i] == '\e' && i + 1 < line.Length && line[i + 1] == '[')
            {
                int end = line.IndexOf('m', i);
                if (end < 0)
                {
                    break;
                }

                ApplySgr(line[(i + 2)..end], ref background, ref reverse);
                i = end;
                continue;
            }

            cells.Add((line[i], reverse ? "rev:" + background : background));
        }

        int count = cells.Count;
        while (count > 0 && cells[count - 1] == (' ', "-"))
        {
            count--;
        }

        string current = "-";
        for (int i = 0; i < count; i++)
        {
            if (cells[i].Background != current)
            {
                current = cells[i].Background;
                screen.Append('{').Append(current).Append('}');
            }

            screen.Append(cells[i].Text);
        }
    }

    private static void ApplySgr(string sequence, ref string background, ref bool reverse)
    {
        string[] parameters = sequence.Split(';');
        for (int i = 0; i < parameters.Length; i++)
        {
            int p = parameters[i].Length == 0 ? 0 : int.Parse(parameters[i], CultureInfo.InvariantCulture);
            switch (p)
            {
                case 0:
                    background = "-";
                    reverse = false;
                    break;
                case 7:
                    reverse = true;
                    break;
                case 27:
                    reverse = false;
                    break;
                case 49:
                    background = "-";
                    break;
                case (>= 40 and <= 47) or (>= 100 and <= 107):
                    background = parameters[i];
                    break;
                case 38 or 48:
                    // 38;5;n / 48;5;n / 38;2;r;g;b: the colour's parameters follow.
                    int length = i + 1 < parameters.Length && parameters[i + 1] == "2" ? 4 : 2;
                    if (p == 48)
                    {
                        background = string.Join(';', parameters, i, Math.Min(length + 1, parameters.Length - i));
                    }

                    i += length;
                    break;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await viewer.DisposeAsync().ConfigureAwait(false);
        terminfo.Dispose();
    }
}
