using System.Net.Sockets;
using Mosh.Crypto;
using Mosh.Network;
using Mosh.Util;

namespace Mosh.Server;

/// <summary>
/// mosh-server after its command line is read. The first process binds the UDP port, prints
/// <c>MOSH CONNECT &lt;port&gt; &lt;key&gt;</c>, re-launches itself as the detached daemon (no fork) and exits; the
/// daemon, recognised by its hand-over variables, runs the session.
/// </summary>
internal static class ServerMain
{
    public static int Run(IReadOnlyList<string> args, ServerOptions options)
    {
        ShellCommand command;
        try
        {
            command = ShellCommand.Resolve(options.Command, Environment.GetEnvironmentVariable, PasswdShell);
        }
        catch (IOException e)
        {
            StandardStreams.WriteErrorText($"getpwuid: {e.Message}\n");
            return 1;
        }

        if (ServerLocale.Establish(options.LocaleAssignments, StandardStreams.WriteErrorText) is { } complaint)
        {
            StandardStreams.WriteErrorText(complaint);
            LocaleReport.Print();
            return 1;
        }

        try
        {
            return DaemonLauncher.TakeHandover() is { } handover
                ? RunDaemon(handover, options, command)
                : StartAndDetach(args, options);
        }
        catch (NetworkException e)
        {
            StandardStreams.WriteErrorText($"Network exception: {e.Message}\n");
            return 1;
        }
        catch (CryptoException e)
        {
            StandardStreams.WriteErrorText($"Crypto exception: {e.Message}\n");
            return 1;
        }
    }

    /// <summary>The agent socket for <c>-A</c>; a failure leaves the session without one (the client is told when it asks).</summary>
    private static AgentSocket? CreateAgentSocket()
    {
        uint uid = FileStatus.CurrentUid;
        AgentSocket? agent = AgentSocket.Create(ControlDirectory.Candidates(Environment.GetEnvironmentVariable, uid),
            Environment.ProcessId, uid, out string problem);
        if (agent is null)
        {
            StandardStreams.WriteErrorText($"mosh-server: no agent socket: {problem}\n");
        }

        return agent;
    }

    private static string? PasswdShell() =>
        (PasswdEntry.ForCurrentUser() ?? throw new IOException("no passwd entry for this user")).Shell;

    private static int StartAndDetach(IReadOnlyList<string> args, ServerOptions options)
    {
        // Read the idle limits now so their warnings reach the user; the daemon's stderr is /dev/null.
        _ = IdleTimeouts.FromEnvironment(Environment.GetEnvironmentVariable, StandardStreams.WriteErrorText);

        WindowSize window = Termios.TryGetWindowSize(0, out WindowSize size) && size.Columns > 0 && size.Rows > 0
            ? size
            : new WindowSize(24, 80);

        SessionKey key = SessionKey.Generate();
        PortRange? ports = options.PortRequest is null ? null : options.Ports;
        Action<string>? log = options.Verbosity > 0 ? line => StandardStreams.WriteErrorText(line + "\n") : null;
        using Connection connection = Connection.CreateServer(key, options.BindAddress, ports, log: log);

        // On a tty, typeahead may echo onto the MOSH CONNECT line; start it on a fresh line (puts("\r\n")).
        if (Termios.IsTerminal(0))
        {
            StandardStreams.WriteOutput("\r\n\n");
        }

        StandardStreams.WriteOutput($"MOSH CONNECT {connection.Port} {key}\n");

        // Made (or refused) here too, so a problem with the control directory reaches the user; the daemon's stderr
        // is /dev/null.
        uint uid = FileStatus.CurrentUid;
        var problems = new List<string>();
        foreach (string directory in ControlDirectory.Candidates(Environment.GetEnvironmentVariable, uid))
        {
            if (ControlDirectory.Prepare(directory, uid) is not { } problem)
            {
                problems.Clear();
                break;
            }

            problems.Add(problem);
        }

        foreach (string problem in problems)
        {
            StandardStreams.WriteErrorText($"mosh-server: warning: {problem}; this session cannot be listed or attached\n");
        }

        Signals.Ignore(Signals.SIGHUP);
        string executable = Environment.ProcessPath ?? throw new InvalidOperationException("cannot locate mosh-server's executable");
        int fd = (int)connection.Sockets[0].Handle;
        int pid = DaemonLauncher.Launch(executable, args, fd, key.ToString(), window, keepStdio: options.Verbosity > 0);

        StandardStreams.WriteErrorText("\n" + ProductInfo.VersionBanner("mosh-server") + "\n");
        StandardStreams.WriteErrorText($"[mosh-server detached, pid = {pid}]\n");
        return 0;
    }

    private static int RunDaemon(DaemonLauncher.Handover handover, ServerOptions options, ShellCommand command)
    {
        Signals.Ignore(Signals.SIGHUP);
        SessionKey key = SessionKey.Parse(handover.Key);
        var socket = new Socket(new SafeSocketHandle(handover.SocketFd, ownsHandle: true));
        Action<string>? log = options.Verbosity > 0 ? line => StandardStreams.WriteErrorText(line + "\n") : null;
        using Connection connection = Connection.AdoptServerSocket(key, socket, log: log);
        IdleTimeouts timeouts = IdleTimeouts.FromEnvironment(Environment.GetEnvironmentVariable, _ => { });
        using var control = new SessionControl(Environment.ProcessId, options.BindAddress, Environment.GetEnvironmentVariable,
            line => StandardStreams.WriteErrorText($"mosh-server: {line}; this session cannot be listed or attached\n"),
            MonotonicClock.Instance.NowMilliseconds);
        int historyLines = options.ResolveHistoryLines(Environment.GetEnvironmentVariable);
        using AgentSocket? agent = options.ForwardAgent ? CreateAgentSocket() : null;
        using var session = new ServerSession(connection, handover.Window, command, options.Colors, timeouts, options.Verbosity,
            control, historyLines, agent);
        session.Run();
        StandardStreams.WriteOutput("\n[mosh-server is exiting.]\n");
        return 0;
    }
}
