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
            Console.Error.Write($"getpwuid: {e.Message}\n");
            return 1;
        }

        if (ServerLocale.Establish(options.LocaleAssignments, Console.Error.Write) is { } complaint)
        {
            Console.Error.Write(complaint);
            Console.Error.Flush();
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
            Console.Error.Write($"Network exception: {e.Message}\n");
            return 1;
        }
        catch (CryptoException e)
        {
            Console.Error.Write($"Crypto exception: {e.Message}\n");
            return 1;
        }
    }

    private static string? PasswdShell() =>
        (PasswdEntry.ForCurrentUser() ?? throw new IOException("no passwd entry for this user")).Shell;

    private static int StartAndDetach(IReadOnlyList<string> args, ServerOptions options)
    {
        // Read the idle limits now so their warnings reach the user; the daemon's stderr is /dev/null.
        _ = IdleTimeouts.FromEnvironment(Environment.GetEnvironmentVariable, Console.Error.Write);

        WindowSize window = Termios.TryGetWindowSize(0, out WindowSize size) && size.Columns > 0 && size.Rows > 0
            ? size
            : new WindowSize(24, 80);

        SessionKey key = SessionKey.Generate();
        Network.PortRange? ports = options.PortRequest is null ? null : new Network.PortRange(options.Ports.Low, options.Ports.High);
        Action<string>? log = options.Verbosity > 0 ? line => Console.Error.Write(line + "\n") : null;
        using Connection connection = Connection.CreateServer(key, options.BindAddress, ports, log: log);

        // On a tty, typeahead may echo onto the MOSH CONNECT line; start it on a fresh line (puts("\r\n")).
        if (Termios.IsTerminal(0))
        {
            Console.Out.Write("\r\n\n");
        }

        Console.Out.Write($"MOSH CONNECT {connection.Port} {key}\n");
        Console.Out.Flush();

        Signals.Ignore(Signals.SIGHUP);
        string executable = Environment.ProcessPath ?? throw new InvalidOperationException("cannot locate mosh-server's executable");
        int fd = (int)connection.Sockets[0].Handle;
        int pid = DaemonLauncher.Launch(executable, args, fd, key.ToString(), window, keepStdio: options.Verbosity > 0);

        Console.Error.Write("\n" + ProductInfo.VersionBanner("mosh-server") + "\n");
        Console.Error.Write($"[mosh-server detached, pid = {pid}]\n");
        Console.Error.Flush();
        return 0;
    }

    private static int RunDaemon(DaemonLauncher.Handover handover, ServerOptions options, ShellCommand command)
    {
        Signals.Ignore(Signals.SIGHUP);
        SessionKey key = SessionKey.Parse(handover.Key);
        var socket = new Socket(new SafeSocketHandle(handover.SocketFd, ownsHandle: true));
        Action<string>? log = options.Verbosity > 0 ? line => Console.Error.Write(line + "\n") : null;
        using Connection connection = Connection.AdoptServerSocket(key, socket, log: log);
        IdleTimeouts timeouts = IdleTimeouts.FromEnvironment(Environment.GetEnvironmentVariable, _ => { });
        int historyLines = options.ResolveHistoryLines(Environment.GetEnvironmentVariable);
        using var session = new ServerSession(connection, handover.Window, command, options.Colors, timeouts, options.Verbosity,
            historyLines);
        session.Run();
        Console.Out.Write("\n[mosh-server is exiting.]\n");
        Console.Out.Flush();
        return 0;
    }
}
