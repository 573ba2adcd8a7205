using System.Globalization;

namespace Mosh.Forwarding;

/// <summary>
/// One <c>-L [bind_address:]port:host:hostport</c> request, with ssh's syntax: IPv6 addresses in brackets, the
/// listener on 127.0.0.1 unless a bind address is given ("*" or an empty one means every address).
/// </summary>
internal sealed record ForwardSpec(string BindAddress, int Port, string Host, int HostPort)
{
    /// <summary>The target as the Open frame carries it: "host:port" (an IPv6 host in brackets).</summary>
    public string Target => FormatTarget(Host, HostPort);

    public static string FormatTarget(string host, int port) =>
        (host.Contains(':', StringComparison.Ordinal) ? $"[{host}]" : host) + ":" + port.ToString(CultureInfo.InvariantCulture);

    /// <summary>Parses a spec; on failure <paramref name="error"/> says why in one line.</summary>
    public static bool TryParse(string text, out ForwardSpec? spec, out string error)
    {
        spec = null;
        error = $"bad forwarding specification '{text}' (want [bind_address:]port:host:hostport)";
        List<string> parts = SplitFields(text);
        if (parts.Count is not (3 or 4))
        {
            return false;
        }

        string bind = parts.Count == 4 ? parts[0] : "127.0.0.1";
        int first = parts.Count - 3;
        if (!TryParsePort(parts[first], out int port) || !TryParsePort(parts[first + 2], out int hostPort)
            || parts[first + 1].Length == 0)
        {
            return false;
        }

        if (bind is "" or "*")
        {
            bind = "0.0.0.0";
        }
        else if (bind == "localhost")
        {
            bind = "127.0.0.1";
        }

        spec = new ForwardSpec(bind, port, parts[first + 1], hostPort);
        error = string.Empty;
        return true;
    }

    /// <summary>Parses "host:port" (an IPv6 host in brackets), as an Open frame's target.</summary>
    public static bool TryParseTarget(string text, out string host, out int port)
    {
        host = string.Empty;
        port = 0;
        List<string> parts = SplitFields(text);
        if (parts.Count != 2 || parts[0].Length == 0 || !TryParsePort(parts[1], out port))
        {
            return false;
        }

        host = parts[0];
        return true;
    }

    /// <summary>Splits on ':' outside brackets, removing the brackets.</summary>
    private static List<string> SplitFields(string text)
    {
        var parts = new List<string>();
        var current = new System.Text.StringBuilder();
        bool bracket = false;
        foreach (char c in text)
        {
            if (c == '[' && !bracket && current.Length == 0)
            {
                bracket = true;
            }
            else if (c == ']' && bracket)
            {
                bracket = false;
            }
            else if (c == ':' && !bracket)
            {
                parts.Add(current.ToString());
                current.Clear();
            }
            else
            {
                current.Append(c);
            }
        }

        parts.Add(current.ToString());
        return bracket ? [] : parts;
    }

    private static bool TryParsePort(string text, out int port) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out port) && port is > 0 and <= 65535;
}
