using System.Collections;

namespace Mosh.Server;

/// <summary>
/// The environment of the program on the pty: the server's own, minus what only the server may see, with
/// TERM for the client's colours, NCURSES_NO_UTF8_ACS=1 (UTF-8 line drawing instead of ISO 2022), no STY (so GNU
/// screen regards itself as top level) and PWD set to the home directory the program starts in. With agent forwarding,
/// SSH_AUTH_SOCK is the session's agent socket instead of whatever the server had.
/// </summary>
internal static class ChildEnvironment
{
    public const string AgentVariable = "SSH_AUTH_SOCK";

    public static string TermFor(int colors) => colors == 256 ? "xterm-256color" : "xterm";

    public static List<string> Build(IDictionary current, int colors, string? home, IReadOnlySet<string> hidden,
        string? agentSocket = null)
    {
        var result = new List<string>(current.Count + 3);
        foreach (DictionaryEntry entry in current)
        {
            string name = (string)entry.Key;
            if (name is "TERM" or "NCURSES_NO_UTF8_ACS" or "STY" or "PWD" || hidden.Contains(name)
                || (agentSocket is not null && name == AgentVariable))
            {
                continue;
            }

            result.Add($"{name}={entry.Value}");
        }

        result.Add("TERM=" + TermFor(colors));
        result.Add("NCURSES_NO_UTF8_ACS=1");
        if (agentSocket is not null)
        {
            result.Add(AgentVariable + "=" + agentSocket);
        }

        if (home is not null)
        {
            result.Add("PWD=" + home);
        }

        result.Sort(StringComparer.Ordinal);
        return result;
    }
}
