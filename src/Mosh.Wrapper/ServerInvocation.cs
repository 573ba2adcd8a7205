namespace Mosh.Wrapper;

/// <summary>Builds the mosh-server command line and the ssh command that runs it.</summary>
internal static class ServerInvocation
{
    /// <summary>Locale variables passed to the server with <c>-l</c> (in this order) when they are set here.</summary>
    public static readonly string[] LocaleVariables =
    [
        "LANG", "LANGUAGE", "LC_CTYPE", "LC_NUMERIC", "LC_TIME", "LC_COLLATE", "LC_MONETARY", "LC_MESSAGES",
        "LC_PAPER", "LC_NAME", "LC_ADDRESS", "LC_TELEPHONE", "LC_MEASUREMENT", "LC_IDENTIFICATION", "LC_ALL",
    ];

    /// <summary>
    /// The shell snippet run before the server in <c>--experimental-remote-ip=remote</c> mode: it reports the
    /// remote end of the ssh connection (sh is named explicitly because the login shell may not be POSIX).
    /// </summary>
    public static readonly string SshConnectionReporter =
        "sh -c " + ShellWords.Quote("[ -n \"$SSH_CONNECTION\" ] && printf \"\\nMOSH SSH_CONNECTION %s\\n\" \"$SSH_CONNECTION\"") + " ; ";

    /// <summary>The arguments after the server's name: <c>new -c N [-s|-i IP] [-p P] [-A] [-l VAR=val]... [-- command]</c>.</summary>
    public static List<string> ServerArguments(WrapperOptions options, int colors, EnvironmentBlock environment)
    {
        var args = new List<string> { "new", "-c", colors.ToString(System.Globalization.CultureInfo.InvariantCulture) };

        string? bind = options.BindServer;
        if (bind is null || bind.Equals("ssh", StringComparison.OrdinalIgnoreCase))
        {
            // The server answers from the address ssh reached; with --local there is no ssh, so use the host.
            args.AddRange(options.Local ? ["-i", options.Host] : ["-s"]);
        }
        else if (!bind.Equals("any", StringComparison.OrdinalIgnoreCase))
        {
            args.AddRange(["-i", bind]);
        }

        if (options.PortRequest is not null)
        {
            args.AddRange(["-p", options.PortRequest]);
        }
        if (options.ForwardAgent)
        {
            args.Add("-A"); // the agent socket must exist before the shell starts; upstream's server warns and goes on
        }
        foreach (string name in LocaleVariables)
        {
            if (environment[name] is { } value)
            {
                args.AddRange(["-l", name + "=" + value]);
            }
        }
        if (options.Command.Count > 0)
        {
            args.Add("--");
            args.AddRange(options.Command);
        }
        return args;
    }

    /// <summary>What the probe prints when the remote mosh-server has no list/attach/kill.</summary>
    public const string NoSessionCommandsLine = "MOSH NO-SESSION-COMMANDS";

    /// <summary>
    /// The arguments for <c>--attach[=PID]</c>: <c>attach [-p PORT[:PORT2]] [PID]</c>, or for <c>--list</c>: <c>list</c>.
    /// </summary>
    public static List<string> SessionArguments(WrapperOptions options)
    {
        if (!options.Attach)
        {
            return ["list"];
        }

        var args = new List<string> { "attach" };
        if (options.PortRequest is not null)
        {
            args.AddRange(["-p", options.PortRequest]);
        }

        if (options.AttachPid is { } pid)
        {
            args.Add(pid.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        return args;
    }

    /// <summary>
    /// The command line for list/attach, behind a probe run in the same login: the server's <c>--version</c> (the
    /// one question upstream's server answers without starting a session) must name
    /// <see cref="Mosh.Util.ProductInfo.SessionCommandsFeature"/>; otherwise the snippet prints
    /// <see cref="NoSessionCommandsLine"/> and fails, so an upstream server never sees <c>attach 1234</c>, which it
    /// would read as <c>IP PORT</c> and answer with a stray session. sh is named because the login shell may not be
    /// POSIX.
    /// </summary>
    public static string SessionCommandLine(string server, IEnumerable<string> sessionArguments)
    {
        string script =
            $"case \"$({server} --version 2>/dev/null)\" in " +
            $"*\"{Mosh.Util.ProductInfo.SessionCommandsFeature}\"*) exec {ServerCommandLine(server, sessionArguments)} ;; " +
            $"*) printf '\\n%s\\n' '{NoSessionCommandsLine}'; exit 1 ;; esac";
        return "sh -c " + ShellWords.Quote(script);
    }

    /// <summary>The shell command line that starts the server: its name unquoted (it may carry words), then each argument quoted.</summary>
    public static string ServerCommandLine(string server, IEnumerable<string> serverArguments) =>
        server + " " + ShellWords.QuoteAll(serverArguments);

    /// <summary>
    /// The whole ssh argv: the user's ssh command, <c>-n</c>, <c>-tt</c> unless disabled, the family switch when
    /// ssh itself picks the address (remote mode), the ProxyCommand through our own <c>--fake-proxy</c> (proxy mode),
    /// the destination, and the remote command.
    /// </summary>
    public static List<string> SshArguments(WrapperOptions options, string userHost, string selfPath, string remoteServerCommandLine,
        bool pty = true)
    {
        var argv = new List<string>(options.SshCommand) { "-n" };
        if (options.SshPty && pty)
        {
            argv.Add("-tt");
        }

        string prefix = "";
        if (options.RemoteIp == RemoteIpMethod.Remote)
        {
            prefix = SshConnectionReporter;
            if (options.Family == AddressFamilyChoice.Inet)
            {
                argv.Add("-4");
            }
            else if (options.Family == AddressFamilyChoice.Inet6)
            {
                argv.Add("-6");
            }
        }
        if (options.RemoteIp == RemoteIpMethod.Proxy)
        {
            string proxy = ShellWords.QuoteAll([selfPath, "--family=" + options.FamilyName]) + " --fake-proxy -- %h %p";
            argv.AddRange(["-S", "none", "-o", "ProxyCommand=" + proxy]);
        }
        argv.AddRange([userHost, "--", prefix + remoteServerCommandLine]);
        return argv;
    }
}
