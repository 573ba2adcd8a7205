using Mosh.Terminal;

namespace Mosh.Client;

/// <summary>
/// <c>mosh-client -c</c>: the local terminal's colour count (terminfo's "colors" for $TERM), which the wrapper
/// passes to the server. Messages and results follow upstream, which asks ncurses: -1 when the entry has no
/// colour count, an error when TERM is unset or unknown.
/// </summary>
internal static class TerminalColors
{
    public static ColorCountResult Query(string? term, Func<string, Terminfo?> load)
    {
        if (string.IsNullOrEmpty(term))
        {
            return new ColorCountResult(1, "", "TERM environment variable not set.\n");
        }
        Terminfo? entry = load(term);
        if (entry is null)
        {
            return new ColorCountResult(1, "", $"'{term}': unknown terminal type.\n");
        }
        int colors = entry.Colors ?? -1;
        return new ColorCountResult(0, colors.ToString(System.Globalization.CultureInfo.InvariantCulture) + "\n", "");
    }
}
