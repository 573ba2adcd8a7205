using System.Text;
using Mosh.Network;
using Mosh.Util.CommandLine;

namespace Mosh.Server;

/// <summary>
/// The mosh-server command line: <c>mosh-server new [-s] [-v] [-i IP] [-p PORT[:PORT2]] [-c COLORS]
/// [-l NAME=VALUE]... [-- command...]</c>, or the old form <c>mosh-server [IP [PORT]]</c>. The session main loop
/// starts from <see cref="Parse"/>'s result.
/// </summary>
internal sealed class ServerOptions
{
    /// <summary>Exit status for a bad command line, as upstream's server.</summary>
    public const int UsageErrorExitStatus = 1;

    /// <summary>The address to bind (null: any interface).</summary>
    public string? BindAddress { get; private set; }

    /// <summary>The UDP port request as given (null: upstream's default range).</summary>
    public string? PortRequest { get; private set; }

    /// <summary><see cref="PortRequest"/> read; (0, 0) when none was given.</summary>
    public PortRange Ports { get; private set; }

    /// <summary>The client terminal's colour count (-c); 256 selects TERM=xterm-256color.</summary>
    public int Colors { get; private set; }

    /// <summary>How many times -v was given: keep stdio open and trace the transport.</summary>
    public int Verbosity { get; private set; }

    /// <summary>The client's locale variables (-l NAME=VALUE), applied only if the native locale is not UTF-8.</summary>
    public IReadOnlyList<string> LocaleAssignments { get; private set; } = [];

    /// <summary>
    /// <c>-A</c>: give the shell an agent socket (SSH_AUTH_SOCK) whose connections go to a client that asked for agent
    /// forwarding.
    /// </summary>
    public bool ForwardAgent { get; private set; }

    /// <summary>Scrollback lines to keep for clients that take history (-H LINES; 0 = none); null when not given.</summary>
    public int? HistoryLines { get; private set; }

    /// <summary>Environment variable giving the scrollback size when -H is not given.</summary>
    public const string HistoryVariable = "MOSH_SERVER_HISTORY";

    /// <summary>
    /// The scrollback size: -H, else <see cref="HistoryVariable"/> (ignored unless a whole number), else
    /// <see cref="Mosh.StateSync.HistoryRing.DefaultCapacity"/>; clamped to the ring's maximum.
    /// </summary>
    public int ResolveHistoryLines(Func<string, string?> getEnvironment)
    {
        if (HistoryLines is int given)
        {
            return given;
        }

        string? value = getEnvironment(HistoryVariable);
        return value is not null && CNumber.TryParseWhole(value, out long lines) && lines >= 0
            ? (int)Math.Min(lines, Mosh.StateSync.HistoryRing.MaxCapacity)
            : Mosh.StateSync.HistoryRing.DefaultCapacity;
    }

    /// <summary>The command to run (after "--"); null means the user's login shell, with the message of the day.</summary>
    public IReadOnlyList<string>? Command { get; private set; }

    public static string Usage(string programName) =>
        $"Usage: {programName} new [-s] [-v] [-i LOCALADDR] [-p PORT[:PORT2]] [-c COLORS] [-l NAME=VALUE] [-- COMMAND...]\n";

    /// <summary>
    /// Reads the command line. <paramref name="getEnvironment"/> supplies SSH_CONNECTION for <c>-s</c>.
    /// Unknown options print the usage but do not stop the server (as upstream).
    /// </summary>
    public static CommandLineResult<ServerOptions> Parse(IReadOnlyList<string> args, string programName,
        Func<string, string?> getEnvironment)
    {
        string usage = Usage(programName);
        int optionCount = args.Count;
        IReadOnlyList<string>? command = null;
        for (int i = 0; i < args.Count; i++)
        {
            if (args[i] is "--help" or "-h")
            {
                return CommandLineResult<ServerOptions>.Exit(0, stdout: usage);
            }
            if (args[i] == "--version")
            {
                return CommandLineResult<ServerOptions>.Exit(0, stdout: Mosh.Util.ProductInfo.VersionBanner("mosh-server")
                    + Mosh.Util.ProductInfo.SessionCommandsFeature + "\n");
            }
            if (args[i] == "--")
            {
                // Everything after "--" is the command; a trailing "--" alone means the login shell.
                if (i != args.Count - 1)
                {
                    command = args.Skip(i + 1).ToArray();
                }
                optionCount = i;
                break;
            }
        }

        var o = new ServerOptions { Command = command };
        var warnings = new StringBuilder();
        var localeAssignments = new List<string>();

        if (optionCount >= 1 && args[0] == "new")
        {
            string[] optionArgs = args.Skip(1).Take(optionCount - 1).ToArray();
            // getopt sees "new" as its argv[0], so that is the name its complaints carry.
            var (items, _) = Getopt.Scan(optionArgs, "@ipclH", "svA", "new");
            foreach (GetoptItem item in items)
            {
                switch (item.Option)
                {
                    case '@':
                        // Eats its argument: lets scripts neutralise a stray word ("-@ new").
                        break;
                    case 'i':
                        o.BindAddress = item.Argument;
                        break;
                    case 'p':
                        o.PortRequest = item.Argument;
                        break;
                    case 's':
                        o.BindAddress = SshLocalAddress(getEnvironment("SSH_CONNECTION"), warnings);
                        break;
                    case 'c':
                        if (!CNumber.TryParseWhole(item.Argument!, out long colors) || colors is < int.MinValue or > int.MaxValue)
                        {
                            return CommandLineResult<ServerOptions>.Exit(UsageErrorExitStatus,
                                stderr: $"{warnings}{programName}: Bad number of colors ({item.Argument})\n{usage}");
                        }
                        o.Colors = (int)colors;
                        break;
                    case 'v':
                        o.Verbosity++;
                        break;
                    case 'A':
                        o.ForwardAgent = true;
                        break;
                    case 'H':
                        if (!CNumber.TryParseWhole(item.Argument!, out long lines) || lines < 0)
                        {
                            return CommandLineResult<ServerOptions>.Exit(UsageErrorExitStatus,
                                stderr: $"{warnings}{programName}: Bad history size ({item.Argument})\n{usage}");
                        }
                        o.HistoryLines = (int)Math.Min(lines, Mosh.StateSync.HistoryRing.MaxCapacity);
                        break;
                    case 'l':
                        localeAssignments.Add(item.Argument!);
                        break;
                    default:
                        warnings.Append(item.Error).Append('\n').Append(usage);
                        break;
                }
            }
        }
        else if (optionCount == 1)
        {
            o.BindAddress = args[0];
        }
        else if (optionCount == 2)
        {
            o.BindAddress = args[0];
            o.PortRequest = args[1];
        }
        else if (optionCount != 0)
        {
            return CommandLineResult<ServerOptions>.Exit(UsageErrorExitStatus, stderr: usage);
        }

        if (o.PortRequest is not null)
        {
            if (!PortRangeSyntax.TryParse(o.PortRequest, out PortRange ports, out string? complaint))
            {
                return CommandLineResult<ServerOptions>.Exit(UsageErrorExitStatus,
                    stderr: $"{warnings}{complaint}\n{programName}: Bad UDP port range ({o.PortRequest})\n{usage}");
            }
            o.Ports = ports;
        }
        o.LocaleAssignments = localeAssignments;
        return CommandLineResult<ServerOptions>.Success(o, warnings.ToString());
    }

    /// <summary>
    /// The server's own address on the ssh connection (third word of SSH_CONNECTION, without an IPv4-mapped
    /// "::ffff:" prefix), so the client reaches the server where ssh did; null (any interface) with a warning when
    /// SSH_CONNECTION is missing or malformed.
    /// </summary>
    internal static string? SshLocalAddress(string? sshConnection, StringBuilder warnings)
    {
        if (sshConnection is null)
        {
            warnings.Append("Warning: SSH_CONNECTION not found; binding to any interface.\n");
            return null;
        }
        string[] words = sshConnection.Split([' ', '\t', '\n', '\v', '\f', '\r'], StringSplitOptions.RemoveEmptyEntries);
        if (words.Length < 3)
        {
            warnings.Append("Warning: Could not parse SSH_CONNECTION; binding to any interface.\n");
            return null;
        }
        string local = words[2];
        const string MappedIPv4Prefix = "::ffff:";
        return local.Length > MappedIPv4Prefix.Length && local.StartsWith(MappedIPv4Prefix, StringComparison.OrdinalIgnoreCase)
            ? local[MappedIPv4Prefix.Length..]
            : local;
    }
}
