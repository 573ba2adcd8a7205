using System.Text.RegularExpressions;

namespace Mosh.Wrapper;

/// <summary>What to do with one line of ssh's (or the local server's) output.</summary>
internal enum StartupLineKind
{
    /// <summary>Not ours: show it to the user.</summary>
    Relay,
    /// <summary>A MOSH IP or MOSH SSH_CONNECTION report, recorded.</summary>
    Recorded,
    /// <summary>The server's MOSH CONNECT line: stop reading.</summary>
    Connect,
    /// <summary>A malformed MOSH line: <see cref="StartupScanner.Error"/> says what to print.</summary>
    Error,
}

/// <summary>
/// Reads the lines ssh prints while the session starts: <c>MOSH IP addr</c> (from our fake proxy),
/// <c>MOSH SSH_CONNECTION c cport s sport</c> (from the remote shell) and the server's
/// <c>MOSH CONNECT port key</c>; everything else belongs to the user.
/// </summary>
internal sealed partial class StartupScanner(string programName, string? portRequest)
{
    public string? Ip { get; set; }
    public string? SshConnectionIp { get; private set; }
    public string? Port { get; private set; }
    public string? Key { get; private set; }
    public string? Error { get; private set; }

    /// <summary>A server too old for port ranges complains about the range; remembered to explain the failure.</summary>
    public bool SawBadUdpPortWarning { get; private set; }

    [GeneratedRegex(@"^MOSH IP (\S+)\s*$")]
    private static partial Regex IpLine();

    [GeneratedRegex(@"^MOSH CONNECT ([0-9]+?) ([A-Za-z0-9/+]{22})\s*$")]
    private static partial Regex ConnectLine();

    /// <summary>The probe before list/attach found a mosh-server without session commands (see
    /// <see cref="ServerInvocation.NoSessionCommandsLine"/>).</summary>
    public bool SawNoSessionCommands { get; private set; }

    /// <summary>Classifies one line (without its newline).</summary>
    public StartupLineKind Accept(string line)
    {
        if (line.TrimEnd() == ServerInvocation.NoSessionCommandsLine)
        {
            SawNoSessionCommands = true;
            return StartupLineKind.Recorded;
        }

        if (line.StartsWith("MOSH IP ", StringComparison.Ordinal))
        {
            if (Ip is not null)
            {
                Error = $"{programName} error: detected attempt to redefine MOSH IP.";
                return StartupLineKind.Error;
            }
            Match ip = IpLine().Match(line);
            if (!ip.Success)
            {
                Error = $"Bad MOSH IP string: {line}";
                return StartupLineKind.Error;
            }
            Ip = ip.Groups[1].Value;
            return StartupLineKind.Recorded;
        }
        if (line.StartsWith("MOSH SSH_CONNECTION ", StringComparison.Ordinal))
        {
            string[] words = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (words.Length != 6)
            {
                Error = $"Bad MOSH SSH_CONNECTION string: {line}";
                return StartupLineKind.Error;
            }
            SshConnectionIp = words[4];
            return StartupLineKind.Recorded;
        }
        if (line.StartsWith("MOSH CONNECT ", StringComparison.Ordinal))
        {
            Match connect = ConnectLine().Match(line);
            if (!connect.Success)
            {
                Error = $"Bad MOSH CONNECT string: {line}";
                return StartupLineKind.Error;
            }
            Port = connect.Groups[1].Value;
            Key = connect.Groups[2].Value;
            return StartupLineKind.Connect;
        }
        if (portRequest is not null && portRequest.Contains(':', StringComparison.Ordinal) &&
            line.Contains("Bad UDP port", StringComparison.Ordinal))
        {
            SawBadUdpPortWarning = true;
        }
        return StartupLineKind.Relay;
    }
}
