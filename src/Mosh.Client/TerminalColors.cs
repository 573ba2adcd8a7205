namespace Mosh.Client;

/// <summary>
/// <c>mosh-client -c</c>: the local terminal's colour count, which the wrapper passes to the server.
/// </summary>
internal static class TerminalColors
{
    /// <summary>
    /// Upstream prints terminfo's "colors" number for $TERM. Until the terminfo reader is available to the client
    /// this prints upstream's answer for a terminal whose entry has no colour count (-1, which the wrapper turns
    /// into 0, so the server offers the plain xterm palette); an unset TERM fails as upstream's does.
    /// </summary>
    public static ColorCountResult Query(string? term)
    {
        if (string.IsNullOrEmpty(term))
        {
            return new ColorCountResult(1, "", "TERM environment variable not set.\n");
        }
        return new ColorCountResult(0, "-1\n", "");
    }
}
