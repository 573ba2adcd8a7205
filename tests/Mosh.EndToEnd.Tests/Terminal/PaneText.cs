using System.Text;
using Mosh.Terminal;

namespace Mosh.EndToEnd.Terminal;

/// <summary>Screen text in the form `tmux capture-pane -p` prints it, for comparing panes with framebuffers.</summary>
internal static class PaneText
{
    /// <summary>The screen's text as capture-pane prints it (wide characters once, trailing blanks dropped).</summary>
    public static string Of(Framebuffer frame)
    {
        var lines = new List<string>();
        for (int y = 0; y < frame.Height; y++)
        {
            Row row = frame.Rows[y];
            var line = new StringBuilder();
            for (int x = 0; x < row.Width; x++)
            {
                line.Append(row[x].IsEmpty ? " " : (row[x].IsFallback ? "\u00A0" : "") + row.GetTextString(x));
                if (row[x].IsWide)
                {
                    x++;
                }
            }

            lines.Add(line.ToString().TrimEnd(' '));
        }

        return string.Join('\n', lines).TrimEnd('\n');
    }

    /// <summary>A capture with trailing blanks and trailing empty lines dropped, as <see cref="Of"/> produces.</summary>
    public static string Trimmed(string capture) =>
        string.Join('\n', capture.Split('\n').Select(l => l.TrimEnd(' '))).TrimEnd('\n');
}
