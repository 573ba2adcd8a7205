using Mosh.Util.CommandLine;

namespace Mosh.Wrapper;

/// <summary>Which address families the wrapper may use to reach the server (<c>--family</c>).</summary>
internal enum AddressFamilyChoice
{
    Inet,
    Inet6,
    Auto,
    All,
    PreferInet,
    PreferInet6,
}

/// <summary>How the wrapper learns the server's IP address (<c>--experimental-remote-ip</c>).</summary>
internal enum RemoteIpMethod
{
    /// <summary>ssh connects through our own <c>--fake-proxy</c>, which reports the address it reached.</summary>
    Proxy,
    /// <summary>The host name is resolved here, before ssh runs.</summary>
    Local,
    /// <summary>The server's shell reports <c>$SSH_CONNECTION</c>.</summary>
    Remote,
}

/// <summary>Everything the <c>mosh</c> command line says, checked; built by <see cref="Parse"/>.</summary>
internal sealed class WrapperOptions
{
    /// <summary>Exit status of every command-line error (upstream's wrapper dies, which exits 255).</summary>
    public const int UsageErrorExitStatus = 255;

    public static readonly string[] PredictionModes = ["adaptive", "always", "never", "experimental"];

    public string? ClientPath { get; private set; }
    public string? ServerCommand { get; private set; }
    public string Prediction { get; private set; } = "adaptive";
    public bool PredictOverwrite { get; private set; }
    public AddressFamilyChoice Family { get; private set; } = AddressFamilyChoice.PreferInet;
    public string? PortRequest { get; private set; }
    public string? BindServer { get; private set; }
    public IReadOnlyList<string> SshCommand { get; private set; } = ["ssh"];
    public bool SshPty { get; private set; } = true;
    public bool TerminalInit { get; private set; } = true;
    public bool Local { get; private set; }
    public RemoteIpMethod RemoteIp { get; private set; } = RemoteIpMethod.Proxy;
    public bool FakeProxy { get; private set; }

    /// <summary><c>--list</c>: print the remote user's sessions instead of starting one.</summary>
    public bool ListSessions { get; private set; }

    /// <summary><c>--attach[=PID]</c>: take over a running session instead of starting one.</summary>
    public bool Attach { get; private set; }

    /// <summary>The session <c>--attach=PID</c> names; null: the only detached one.</summary>
    public int? AttachPid { get; private set; }

    /// <summary>The <c>[user@]host</c> operand (in fake-proxy mode: the host to connect to).</summary>
    public string Host { get; private set; } = "";

    /// <summary>The command to run remotely (empty: the login shell); in fake-proxy mode, the TCP port.</summary>
    public IReadOnlyList<string> Command { get; private set; } = [];

    /// <summary>The arguments as given, which the client shows in its process title ("-# ARGS |").</summary>
    public IReadOnlyList<string> OriginalArguments { get; private set; } = [];

    /// <summary><c>-L [bind_address:]port:host:hostport</c> specs, checked, passed on to mosh-client as <c>-L</c>.</summary>
    public IReadOnlyList<string> LocalForwards => _localForwards;

    private readonly List<string> _localForwards = [];

    /// <summary><c>-R [bind_address:]port:host:hostport</c> specs, checked, passed on to mosh-client as <c>-R</c>.</summary>
    public IReadOnlyList<string> RemoteForwards => _remoteForwards;

    private readonly List<string> _remoteForwards = [];

    /// <summary><c>-A</c> / <c>--forward-agent</c>: passed to mosh-server (<c>new -A</c>) and to mosh-client (<c>-A</c>).</summary>
    public bool ForwardAgent { get; private set; }

    /// <summary>The spelling of <see cref="Family"/> that <c>--family=</c> accepts.</summary>
    public string FamilyName => FamilyNames[(int)Family];

    private static readonly string[] FamilyNames = ["inet", "inet6", "auto", "all", "prefer-inet", "prefer-inet6"];

    private enum Id
    {
        Client, Server, Predict, PredictOverwrite, Port, Always, Never, Family, Inet, Inet6, Ssh, SshPty, Init,
        Local, Help, Version, FakeProxy, BindServer, RemoteIp, List, Attach, LocalForward, RemoteForward, ForwardAgent,
    }

    private static readonly OptionSpec[] Specs =
    [
        new((int)Id.Client, OptionArity.Value, "client"),
        new((int)Id.Server, OptionArity.Value, "server"),
        new((int)Id.Predict, OptionArity.Value, "predict"),
        new((int)Id.PredictOverwrite, OptionArity.NegatableFlag, "predict-overwrite", "o"),
        new((int)Id.Port, OptionArity.Value, "port", "p"),
        new((int)Id.Always, OptionArity.Flag, "a"),
        new((int)Id.Never, OptionArity.Flag, "n"),
        new((int)Id.Family, OptionArity.Value, "family"),
        new((int)Id.Inet, OptionArity.Flag, "4"),
        new((int)Id.Inet6, OptionArity.Flag, "6"),
        new((int)Id.Ssh, OptionArity.Value, "ssh"),
        new((int)Id.SshPty, OptionArity.NegatableFlag, "ssh-pty"),
        new((int)Id.Init, OptionArity.NegatableFlag, "init"),
        new((int)Id.Local, OptionArity.Flag, "local"),
        new((int)Id.Help, OptionArity.Flag, "help"),
        new((int)Id.Version, OptionArity.Flag, "version"),
        new((int)Id.FakeProxy, OptionArity.NegatableFlag, "fake-proxy"),
        new((int)Id.BindServer, OptionArity.Value, "bind-server"),
        new((int)Id.RemoteIp, OptionArity.Value, "experimental-remote-ip"),
        new((int)Id.List, OptionArity.Flag, "list") { ExactOnly = true },
        new((int)Id.Attach, OptionArity.OptionalValue, "attach") { ExactOnly = true },
        new((int)Id.LocalForward, OptionArity.Value, "L"),
        new((int)Id.RemoteForward, OptionArity.Value, "R"),
        new((int)Id.ForwardAgent, OptionArity.Flag, "forward-agent", "A"),
    ];

    /// <summary>
    /// Reads the command line. <paramref name="predictionDisplay"/> is the caller's MOSH_PREDICTION_DISPLAY
    /// (the default for <c>--predict</c>). Never throws for bad input: the result then carries the messages and
    /// exit status upstream's wrapper gives.
    /// </summary>
    public static CommandLineResult<WrapperOptions> Parse(IReadOnlyList<string> args, string programName, string? predictionDisplay)
    {
        var (scanned, operands, errors) = LongOptionScanner.Scan(args, Specs);
        string usage = WrapperUsage.Text(programName);
        var o = new WrapperOptions { OriginalArguments = args.ToArray() };
        bool help = false, version = false;
        string? predict = null, family = null, remoteIp = null;

        foreach (ScannedOption option in scanned)
        {
            switch ((Id)option.Id)
            {
                case Id.Client: o.ClientPath = option.Value; break;
                case Id.Server: o.ServerCommand = option.Value; break;
                case Id.Predict: predict = option.Value; break;
                case Id.PredictOverwrite: o.PredictOverwrite = !option.Negated; break;
                case Id.Port: o.PortRequest = option.Value; break;
                case Id.Always: predict = "always"; break;
                case Id.Never: predict = "never"; break;
                case Id.Family: family = option.Value; break;
                case Id.Inet: family = "inet"; break;
                case Id.Inet6: family = "inet6"; break;
                case Id.Ssh:
                    string[]? words = ShellWords.Split(option.Value!);
                    if (words is null || words.Length == 0)
                    {
                        errors.Add($"Option ssh: cannot split \"{option.Value}\" into words (unbalanced quotes?)");
                    }
                    else
                    {
                        o.SshCommand = words;
                    }
                    break;
                case Id.SshPty: o.SshPty = !option.Negated; break;
                case Id.Init: o.TerminalInit = !option.Negated; break;
                case Id.Local: o.Local = true; break;
                case Id.Help: help = true; break;
                case Id.Version: version = true; break;
                case Id.FakeProxy: o.FakeProxy = !option.Negated; break;
                case Id.BindServer: o.BindServer = option.Value; break;
                case Id.RemoteIp: remoteIp = option.Value; break;
                case Id.List: o.ListSessions = true; break;
                case Id.LocalForward or Id.RemoteForward:
                    bool local = (Id)option.Id == Id.LocalForward;
                    if (Mosh.Forwarding.ForwardSpec.TryParse(option.Value ?? string.Empty, out _, out string forwardError))
                    {
                        (local ? o._localForwards : o._remoteForwards).Add(option.Value!);
                    }
                    else
                    {
                        errors.Add($"Option {(local ? 'L' : 'R')}: {forwardError}");
                    }
                    break;
                case Id.ForwardAgent: o.ForwardAgent = true; break;
                case Id.Attach:
                    o.Attach = true;
                    if (option.Value is not null)
                    {
                        if (!int.TryParse(option.Value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int pid) || pid <= 0)
                        {
                            errors.Add($"Option attach: not a process id: {option.Value}");
                        }
                        else
                        {
                            o.AttachPid = pid;
                        }
                    }
                    break;
            }
        }

        if (errors.Count > 0)
        {
            return CommandLineResult<WrapperOptions>.Exit(UsageErrorExitStatus, stderr: string.Join('\n', errors) + "\n" + usage);
        }
        if (help)
        {
            return CommandLineResult<WrapperOptions>.Exit(0, stdout: usage);
        }
        if (version)
        {
            return CommandLineResult<WrapperOptions>.Exit(0, stdout: Mosh.Util.ProductInfo.VersionBanner("mosh"));
        }

        bool fromEnvironment = predict is null && predictionDisplay is not null;
        predict ??= predictionDisplay ?? "adaptive";
        if (Array.IndexOf(PredictionModes, predict) < 0)
        {
            string why = fromEnvironment ? " (MOSH_PREDICTION_DISPLAY in environment)" : "";
            return CommandLineResult<WrapperOptions>.Exit(UsageErrorExitStatus,
                stderr: $"{programName}: Unknown mode \"{predict}\"{why}.\n\n{usage}");
        }
        o.Prediction = predict;

        if (remoteIp is not null)
        {
            switch (remoteIp)
            {
                case "proxy": o.RemoteIp = RemoteIpMethod.Proxy; break;
                case "local": o.RemoteIp = RemoteIpMethod.Local; break;
                case "remote": o.RemoteIp = RemoteIpMethod.Remote; break;
                default:
                    return CommandLineResult<WrapperOptions>.Exit(UsageErrorExitStatus, stderr: $"Unknown parameter {remoteIp}\n");
            }
        }

        if (family is not null)
        {
            int index = Array.IndexOf(FamilyNames, family.ToLowerInvariant());
            if (index < 0)
            {
                return CommandLineResult<WrapperOptions>.Exit(UsageErrorExitStatus, stderr: $"{programName}: Invalid family {family}\n");
            }
            o.Family = (AddressFamilyChoice)index;
        }

        if (o.PortRequest is not null && CheckPortRequest(o.PortRequest) is { } portError)
        {
            return CommandLineResult<WrapperOptions>.Exit(UsageErrorExitStatus, stderr: $"{programName}: {portError}\n");
        }

        if (o.ListSessions && o.Attach)
        {
            return CommandLineResult<WrapperOptions>.Exit(UsageErrorExitStatus, stderr: $"{programName}: --list and --attach cannot be combined\n");
        }
        if ((o.ListSessions || o.Attach) && operands.Count > 1)
        {
            return CommandLineResult<WrapperOptions>.Exit(UsageErrorExitStatus,
                stderr: $"{programName}: --{(o.Attach ? "attach" : "list")} takes no command (the session runs the one it was started with)\n");
        }

        if (o.FakeProxy ? operands.Count != 2 : operands.Count < 1)
        {
            return CommandLineResult<WrapperOptions>.Exit(UsageErrorExitStatus, stderr: usage);
        }
        o.Host = operands[0];
        o.Command = operands.GetRange(1, operands.Count - 1);
        return CommandLineResult<WrapperOptions>.Success(o);
    }

    /// <summary>Checks <c>PORT[:PORT2]</c> as upstream's wrapper does; returns the complaint, or null when fine.</summary>
    internal static string? CheckPortRequest(string request)
    {
        int colon = request.IndexOf(':', StringComparison.Ordinal);
        string lowText = colon < 0 ? request : request[..colon];
        string? highText = colon < 0 ? null : request[(colon + 1)..];
        if (!IsDigits(lowText) || (highText is not null && !IsDigits(highText)))
        {
            return $"Server-side port or range ({request}) is not valid.";
        }
        // Digit strings too long for a long are simply out of range.
        long low = long.TryParse(lowText, out long l) ? l : long.MaxValue;
        if (low > 65535)
        {
            return $"Server-side (low) port ({lowText}) must be within valid range [0..65535].";
        }
        if (highText is not null)
        {
            long high = long.TryParse(highText, out long h) ? h : long.MaxValue;
            if (high <= 0 || high > 65535)
            {
                return $"Server-side high port ({highText}) must be within valid range [1..65535].";
            }
            if (low == 0)
            {
                return $"Server-side port ranges may not be used with starting port 0 ({request}).";
            }
            if (low > high)
            {
                return $"Server-side port range ({request}): low port greater than high port.";
            }
        }
        return null;
    }

    private static bool IsDigits(string s)
    {
        if (s.Length == 0)
        {
            return false;
        }
        foreach (char c in s)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }
        }
        return true;
    }
}
