using Mosh.Util;

namespace Mosh.Server;

/// <summary>
/// Upstream's notice, shown under the message of the day, that the user has other mosh sessions on this host with
/// no client: their utmp entries are the user's USER_PROCESS entries whose host text starts "mosh " and ends "]"
/// (exactly <c>mosh [PID]</c>; attached ones read "... via mosh [PID]"), other than this session's own, on a
/// terminal that still exists. Upstream's text is kept as it is; a line after it says how to take a session over
/// (<c>mosh --attach</c>), which upstream could not.
/// </summary>
internal static class DetachedSessionWarning
{
    private const string Highlight = "\x1b[37;44m"; // white on blue
    private const string Plain = "\x1b[m";

    /// <summary>The warning for the current user, or null when there is nothing to say (or no passwd entry).</summary>
    public static string? ForCurrentUser(string ownEntry)
    {
        if (PasswdEntry.ForCurrentUser() is not { } user)
        {
            return null; // upstream reports getpwuid's failure on the session's stderr and goes on
        }

        return Compose(user.Name, ownEntry, UtmpReader.UserProcesses(), line => Path.Exists("/dev/" + line));
    }

    /// <summary>The warning text (LF line ends, as printed on the pty), or null when no other session is detached.</summary>
    public static string? Compose(string user, string ownEntry, IEnumerable<UtmpLogin> logins, Func<string, bool> terminalExists)
    {
        var detached = new List<string>();
        foreach (UtmpLogin login in logins)
        {
            string host = login.Host;
            if (login.User == user
                && host.StartsWith("mosh ", StringComparison.Ordinal)
                && host.EndsWith(']')
                && host != ownEntry
                && terminalExists(login.Line))
            {
                detached.Add(host);
            }
        }

        if (detached.Count == 0)
        {
            return null;
        }

        if (detached.Count == 1)
        {
            return $"{Highlight}Mosh: You have a detached Mosh session on this server ({detached[0]}).{Plain}\n\n"
                + $"Mosh: take it over from any client with: mosh --attach={PidOf(detached[0])} [user@]host\n\n";
        }

        var text = new System.Text.StringBuilder();
        text.Append(System.Globalization.CultureInfo.InvariantCulture,
            $"{Highlight}Mosh: You have {detached.Count} detached Mosh sessions on this server, with PIDs:\n");
        foreach (string host in detached)
        {
            text.Append("        - ").Append(host).Append('\n');
        }

        return text.Append(Plain).Append('\n')
            .Append("Mosh: take one over with: mosh --attach=PID [user@]host (mosh --list [user@]host shows them)\n\n")
            .ToString();
    }

    /// <summary>The PID in an entry's text, "mosh [PID]".</summary>
    private static string PidOf(string host) => host[(host.IndexOf('[', StringComparison.Ordinal) + 1)..^1];
}
