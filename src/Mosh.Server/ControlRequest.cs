namespace Mosh.Server;

/// <summary>What <c>mosh-server list/attach/kill</c> asks a running session.</summary>
internal enum ControlVerb
{
    List,
    Attach,
    Kill,
}

/// <summary>
/// One request line on a session's control socket: <c>list</c>, <c>attach [PORT[:PORT2]]</c> or <c>kill</c>, ended
/// by a newline. Replies are one line: <c>ok ...</c> or <c>error MESSAGE</c>. Anything longer than
/// <see cref="MaxLength"/>, not printable ASCII, or unknown is refused.
/// </summary>
internal readonly record struct ControlRequest(ControlVerb Verb, string? PortRequest)
{
    /// <summary>Longest request line accepted, newline included.</summary>
    public const int MaxLength = 128;

    public override string ToString() => Verb switch
    {
        ControlVerb.List => "list",
        ControlVerb.Kill => "kill",
        _ => PortRequest is null ? "attach" : "attach " + PortRequest,
    };

    /// <summary>Reads a request line (without its newline); the complaint to reply with otherwise.</summary>
    public static bool TryParse(ReadOnlySpan<byte> line, out ControlRequest request, out string? complaint)
    {
        request = default;
        complaint = null;
        foreach (byte b in line)
        {
            if (b is < 0x20 or > 0x7E)
            {
                complaint = "malformed request";
                return false;
            }
        }

        string text = System.Text.Encoding.ASCII.GetString(line);
        string[] words = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        switch (words)
        {
            case ["list"]:
                request = new ControlRequest(ControlVerb.List, null);
                return true;
            case ["kill"]:
                request = new ControlRequest(ControlVerb.Kill, null);
                return true;
            case ["attach"]:
                request = new ControlRequest(ControlVerb.Attach, null);
                return true;
            case ["attach", string ports]:
                if (!PortRangeSyntax.TryParse(ports, out _, out string? why))
                {
                    complaint = $"bad UDP port range ({why})";
                    return false;
                }

                request = new ControlRequest(ControlVerb.Attach, ports);
                return true;
            default:
                complaint = "unknown request";
                return false;
        }
    }
}
