using System.Globalization;
using System.Text;
using Mosh.Util;

namespace Mosh.Wrapper;

/// <summary>
/// The wrapper's normal run: count the terminal's colours, start mosh-server through ssh (or locally with
/// <c>--local</c>), read its address, port and key from the output, then replace this process with mosh-client.
/// </summary>
internal static class SessionBootstrap
{
    /// <summary>
    /// Exit status when the startup lines are missing after ssh ended; upstream's wrapper happens to exit with
    /// ECHILD (10) here because its die() reports the errno left by reaping ssh.
    /// </summary>
    public const int MissingStartupLineExitStatus = 10;

    /// <summary>Exit status for a malformed MOSH line; upstream's die() reports ESPIPE (29), left by reading the pipe.</summary>
    public const int MalformedStartupLineExitStatus = 29;

    public const int FailureExitStatus = 255;

    public static int Run(WrapperOptions options, string programName)
    {
        EnvironmentBlock environment = EnvironmentBlock.FromCurrentProcess();
        string? ownPath = Environment.ProcessPath;
        string? searchPath = environment["PATH"];

        if (options.PredictOverwrite)
        {
            environment["MOSH_PREDICTION_OVERWRITE"] = "yes";
        }
        environment["MOSH_PREDICTION_DISPLAY"] = null;

        string clientName = options.ClientPath ?? "mosh-client";
        string? clientPath = ExecutableLocator.Find(clientName, ownPath, searchPath);
        if (clientPath is null)
        {
            // As upstream: the failed start's errno (ENOENT) is the exit status.
            StandardStreams.WriteError($"Can't count colors: {LibC.ErrorText(LibC.ENOENT)}");
            return LibC.ENOENT;
        }

        int? colors = ColorCount.Query(clientPath, clientName, environment, programName, out int failureStatus);
        if (colors is null)
        {
            return failureStatus;
        }

        // Not used by mosh itself; handy for tests and debugging (the client keeps this process id).
        environment["MOSH_CLIENT_PID"] = Environment.ProcessId.ToString(CultureInfo.InvariantCulture);

        var scanner = new StartupScanner(programName, options.PortRequest);
        string userHost = options.Host;
        if (options.RemoteIp == RemoteIpMethod.Local && !options.Local)
        {
            int at = userHost.LastIndexOf('@');
            string user = at < 0 ? "" : userHost[..(at + 1)];
            string host = userHost[(at + 1)..];
            List<System.Net.IPAddress> addresses;
            try
            {
                addresses = AddressResolver.Resolve(host, options.Family, programName);
            }
            catch (AddressResolver.ResolveException e)
            {
                StandardStreams.WriteError(e.Message);
                return FailureExitStatus;
            }
            if (addresses.Count == 0)
            {
                StandardStreams.WriteError($"could not find address for {host}");
                return FailureExitStatus;
            }
            scanner.Ip = addresses[0].ToString();
            userHost = user + scanner.Ip;
        }

        List<string> serverArguments = options.Attach
            ? ServerInvocation.SessionArguments(options)
            : ServerInvocation.ServerArguments(options, colors.Value, environment);
        bool malformed = false;
        try
        {
            PipedChild child = options.Local
                ? StartLocalServer(options, serverArguments, environment, ownPath, searchPath, scanner)
                : StartSsh(options, serverArguments, environment, userHost, ownPath ?? programName);
            malformed = ReadStartupLines(child, scanner);
            child.Output.Dispose();
            child.WaitForExit();
        }
        catch (SpawnException e)
        {
            // Upstream's child reports this on the output it shares with ssh; the missing lines are then explained below.
            StandardStreams.WriteOutput(Encoding.UTF8.GetBytes($"Cannot exec {(options.Local ? "/bin/sh" : options.SshCommand[0])}: {e.Message}\n"));
        }

        if (malformed)
        {
            StandardStreams.WriteError(scanner.Error!);
            return MalformedStartupLineExitStatus;
        }

        if (scanner.SawNoSessionCommands)
        {
            StandardStreams.WriteError(NoSessionCommandsMessage(options, programName));
            return FailureExitStatus;
        }

        if (options.Attach && scanner.Key is null)
        {
            StandardStreams.WriteError($"{programName}: could not attach to a session on {options.Host} (see above).");
            return FailureExitStatus;
        }

        if (scanner.Ip is null)
        {
            if (scanner.SshConnectionIp is null)
            {
                StandardStreams.WriteError($"{programName}: Did not find remote IP address (is SSH ProxyCommand disabled?).");
                return MissingStartupLineExitStatus;
            }
            StandardStreams.WriteError($"{programName}: Using remote IP address {scanner.SshConnectionIp} from $SSH_CONNECTION for hostname {userHost}");
            scanner.Ip = scanner.SshConnectionIp;
        }
        if (scanner.Key is null || scanner.Port is null)
        {
            StandardStreams.WriteError(scanner.SawBadUdpPortWarning
                ? $"{programName}: Server does not support UDP port range option."
                : $"{programName}: Did not find mosh server startup message. (Have you installed mosh on your server?)");
            return MissingStartupLineExitStatus;
        }

        environment["MOSH_KEY"] = scanner.Key;
        environment["MOSH_PREDICTION_DISPLAY"] = options.Prediction;
        if (!options.TerminalInit)
        {
            environment["MOSH_NO_TERM_INIT"] = "1";
        }
        string title = "-# " + string.Join(' ', options.OriginalArguments) + " |";
        List<string> clientArguments = [clientName, title];
        foreach (string forward in options.LocalForwards)
        {
            clientArguments.Add("-L");
            clientArguments.Add(forward);
        }

        foreach (string forward in options.RemoteForwards)
        {
            clientArguments.Add("-R");
            clientArguments.Add(forward);
        }

        if (options.ForwardAgent)
        {
            clientArguments.Add("-A");
        }

        clientArguments.Add(scanner.Ip);
        clientArguments.Add(scanner.Port);
        int errno = ProcessReplacement.Exec(clientPath, [.. clientArguments], environment);
        StandardStreams.WriteError($"{programName}: Cannot exec {clientName}: {LibC.ErrorText(errno)}");
        return FailureExitStatus;
    }

    private static PipedChild StartSsh(WrapperOptions options, List<string> serverArguments, EnvironmentBlock environment,
        string userHost, string selfPath)
    {
        string server = options.ServerCommand ?? "mosh-server";
        List<string> argv = ServerInvocation.SshArguments(options, userHost, selfPath, RemoteCommandLine(options, server, serverArguments));
        EnvironmentBlock sshEnvironment = environment.Clone();
        if (options.RemoteIp == RemoteIpMethod.Proxy)
        {
            // Unusual login shells and broken rc files break ssh's ProxyCommand in confusing ways.
            sshEnvironment["SHELL"] = "/bin/sh";
        }
        return PipedChild.Start(argv[0], argv, sshEnvironment, stderrToPipe: true);
    }

    private static PipedChild StartLocalServer(WrapperOptions options, List<string> serverArguments, EnvironmentBlock environment,
        string? ownPath, string? searchPath, StartupScanner scanner)
    {
        // Without ssh the server runs here, from the home directory, and answers on the host the user named.
        string server = options.ServerCommand
            ?? (ExecutableLocator.Find("mosh-server", ownPath, searchPath) is { } found ? ShellWords.Quote(found) : "mosh-server");
        EnvironmentBlock serverEnvironment = environment.Clone();
        serverEnvironment["SSH_CONNECTION"] = null;
        scanner.Ip ??= options.Host;
        string command = RemoteCommandLine(options, server, serverArguments);
        return PipedChild.Start("/bin/sh", ["/bin/sh", "-c", command], serverEnvironment, stderrToPipe: true,
            workingDirectory: environment["HOME"]);
    }

    /// <summary>The command for the server: <c>new ...</c> as it is, <c>attach ...</c> behind the session-command probe.</summary>
    private static string RemoteCommandLine(WrapperOptions options, string server, List<string> serverArguments) =>
        options.Attach
            ? ServerInvocation.SessionCommandLine(server, serverArguments)
            : ServerInvocation.ServerCommandLine(server, serverArguments);

    /// <summary>What the user is told when the host's mosh-server cannot list or attach.</summary>
    public static string NoSessionCommandsMessage(WrapperOptions options, string programName) =>
        $"{programName}: the mosh-server on {(options.Local ? "this machine" : options.Host)} cannot list or attach sessions " +
        "(it is upstream mosh, an older Mosh for .NET, or missing); nothing was started there.";

    /// <summary>Reads output lines until MOSH CONNECT or the end; relays foreign lines. Returns true on a malformed MOSH line.</summary>
    private static bool ReadStartupLines(PipedChild child, StartupScanner scanner)
    {
        var line = new List<byte>(256);
        var buffer = new byte[4096];
        while (true)
        {
            int n;
            try
            {
                n = child.Output.Read(buffer);
            }
            catch (IOException)
            {
                n = 0;
            }
            if (n == 0)
            {
                if (line.Count == 0)
                {
                    return false;
                }
                HandleLine(line, scanner, out bool malformedLast);
                return malformedLast;
            }
            for (int i = 0; i < n; i++)
            {
                if (buffer[i] != (byte)'\n')
                {
                    line.Add(buffer[i]);
                    continue;
                }
                bool connect = HandleLine(line, scanner, out bool bad);
                line.Clear();
                if (bad)
                {
                    return true;
                }
                if (connect)
                {
                    return false;
                }
            }
        }
    }

    /// <summary>Returns true when the line was MOSH CONNECT.</summary>
    private static bool HandleLine(List<byte> bytes, StartupScanner scanner, out bool malformed)
    {
        byte[] raw = [.. bytes];
        // Latin-1 keeps every byte; the MOSH lines are ASCII and other lines are relayed as the raw bytes.
        StartupLineKind kind = scanner.Accept(Encoding.Latin1.GetString(raw));
        malformed = kind == StartupLineKind.Error;
        if (kind == StartupLineKind.Relay)
        {
            StandardStreams.WriteOutput(raw);
            StandardStreams.WriteOutput("\n"u8);
        }
        return kind == StartupLineKind.Connect;
    }
}
