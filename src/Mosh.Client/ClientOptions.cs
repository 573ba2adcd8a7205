using Mosh.Util.CommandLine;

namespace Mosh.Client;

/// <summary>
/// The mosh-client command line: <c>mosh-client [-# 'ARGS'] [-v] IP PORT</c> with the session key in MOSH_KEY, or
/// <c>mosh-client -c</c> to print the terminal's colour count. The session main loop starts from
/// <see cref="Parse"/>'s result.
/// </summary>
internal sealed class ClientOptions
{
    /// <summary>Exit status for a bad command line or a missing key, as upstream's client.</summary>
    public const int UsageErrorExitStatus = 1;

    public const string KeyVariable = "MOSH_KEY";

    public required string ServerAddress { get; init; }

    /// <summary>The server's UDP port, all digits as checked.</summary>
    public required string Port { get; init; }

    /// <summary>The 22-character base64 session key, already removed from the environment.</summary>
    public required string Key { get; init; }

    public int Verbosity { get; init; }

    /// <summary><c>-L [bind_address:]port:host:hostport</c> requests, in order.</summary>
    public IReadOnlyList<Mosh.Forwarding.ForwardSpec> Forwards { get; init; } = [];

    /// <summary><c>-R [bind_address:]port:host:hostport</c> requests (the server listens), in order.</summary>
    public IReadOnlyList<Mosh.Forwarding.ForwardSpec> RemoteForwards { get; init; } = [];

    /// <summary><c>-A</c>: carry the server's agent connections to SSH_AUTH_SOCK here.</summary>
    public bool ForwardAgent { get; init; }

    /// <summary>MOSH_PREDICTION_DISPLAY (adaptive, always, never, experimental), or null.</summary>
    public string? PredictionDisplay { get; init; }

    /// <summary>MOSH_PREDICTION_OVERWRITE ("yes" makes predictions overwrite), or null.</summary>
    public string? PredictionOverwrite { get; init; }

    public static string Usage(string programName) =>
        Mosh.Util.ProductInfo.VersionBanner("mosh-client") +
        $"\nUsage: {programName} [-# 'ARGS'] IP PORT\n       {programName} -c\n";

    /// <summary>
    /// Reads the command line. <paramref name="takeEnvironment"/> returns a variable and removes it from the
    /// environment (used for MOSH_KEY, which must not linger); <paramref name="getEnvironment"/> only reads.
    /// <paramref name="colorCount"/> produces what <c>-c</c> prints.
    /// </summary>
    public static CommandLineResult<ClientOptions> Parse(IReadOnlyList<string> args, string programName,
        Func<string, string?> takeEnvironment, Func<string, string?> getEnvironment, Func<ColorCountResult> colorCount)
    {
        string usage = Usage(programName);
        foreach (string arg in args)
        {
            if (arg == "--help")
            {
                return CommandLineResult<ClientOptions>.Exit(0, stdout: usage);
            }
            if (arg == "--version")
            {
                return CommandLineResult<ClientOptions>.Exit(0, stdout: Mosh.Util.ProductInfo.VersionBanner("mosh-client"));
            }
        }

        int verbosity = 0;
        var forwards = new List<Mosh.Forwarding.ForwardSpec>();
        var remoteForwards = new List<Mosh.Forwarding.ForwardSpec>();
        bool forwardAgent = false;
        var (items, operands) = Getopt.Scan(args, "#LR", "cvA", programName);
        foreach (GetoptItem item in items)
        {
            switch (item.Option)
            {
                case '#':
                    // The wrapper's own arguments, carried only so they show in the process list.
                    break;
                case 'c':
                    ColorCountResult count = colorCount();
                    return CommandLineResult<ClientOptions>.Exit(count.ExitStatus, stdout: count.StandardOutput, stderr: count.StandardError);
                case 'v':
                    verbosity++;
                    break;
                case 'L' or 'R':
                    if (!Mosh.Forwarding.ForwardSpec.TryParse(item.Argument ?? string.Empty, out Mosh.Forwarding.ForwardSpec? spec, out string error))
                    {
                        return CommandLineResult<ClientOptions>.Exit(UsageErrorExitStatus, stderr: $"{programName}: {error}\n");
                    }

                    (item.Option == 'L' ? forwards : remoteForwards).Add(spec!);
                    break;
                case 'A':
                    forwardAgent = true;
                    break;
                default:
                    return CommandLineResult<ClientOptions>.Exit(UsageErrorExitStatus, stderr: item.Error + "\n" + usage);
            }
        }

        if (operands.Count != 2)
        {
            return CommandLineResult<ClientOptions>.Exit(UsageErrorExitStatus, stderr: usage);
        }
        string port = operands[1];
        foreach (char c in port)
        {
            if (c is < '0' or > '9')
            {
                return CommandLineResult<ClientOptions>.Exit(UsageErrorExitStatus,
                    stderr: $"{programName}: Bad UDP port ({port})\n\n{usage}");
            }
        }

        string? key = takeEnvironment(KeyVariable);
        if (key is null)
        {
            return CommandLineResult<ClientOptions>.Exit(UsageErrorExitStatus, stderr: "MOSH_KEY environment variable not found.\n");
        }

        return CommandLineResult<ClientOptions>.Success(new ClientOptions
        {
            ServerAddress = operands[0],
            Port = port,
            Key = key,
            Verbosity = verbosity,
            Forwards = forwards,
            RemoteForwards = remoteForwards,
            ForwardAgent = forwardAgent,
            PredictionDisplay = getEnvironment("MOSH_PREDICTION_DISPLAY"),
            PredictionOverwrite = getEnvironment("MOSH_PREDICTION_OVERWRITE"),
        });
    }
}
