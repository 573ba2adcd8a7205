using System.Globalization;
using Mosh.Util;

namespace Mosh.Server;

/// <summary>
/// <c>mosh-server list</c>, <c>mosh-server attach [-p PORT[:PORT2]] [PID]</c> and <c>mosh-server kill PID</c>: ask
/// the user's running sessions over their control sockets. These words are taken before the legacy
/// <c>IP [PORT]</c> form is considered, so they never start a session by accident. Exit status 0 on success, 1 on
/// any failure (with a message on stderr).
/// </summary>
internal static class SessionCommand
{
    public const int FailureExitStatus = 1;

    /// <summary>How long <c>kill</c> waits for the session to be gone (its shutdown handshake takes up to 10 s).</summary>
    private const int KillWaitMs = 15000;

    public static bool IsSessionCommand(IReadOnlyList<string> args) => args.Count > 0 && args[0] is "list" or "attach" or "kill";

    public static string Usage(string programName) =>
        $"Usage: {programName} list\n" +
        $"       {programName} attach [-p PORT[:PORT2]] [PID]\n" +
        $"       {programName} kill PID\n";

    public static int Run(IReadOnlyList<string> args, string programName, Func<string, string?> getEnvironment,
        TextWriter stdout, TextWriter stderr)
    {
        if (!TryParse(args, out ControlVerb verb, out int? pid, out string? ports, out string? complaint))
        {
            stderr.Write($"{programName}: {complaint}\n{Usage(programName)}");
            return FailureExitStatus;
        }

        if (ControlClient.Open(getEnvironment, out string? problem) is not { } client)
        {
            stderr.Write($"{programName}: {problem}\n");
            return FailureExitStatus;
        }

        return verb switch
        {
            ControlVerb.List => List(client, programName, stdout, stderr),
            ControlVerb.Kill => Kill(client, pid!.Value, programName, stderr),
            _ => Attach(client, pid, ports, programName, stdout, stderr),
        };
    }

    internal static bool TryParse(IReadOnlyList<string> args, out ControlVerb verb, out int? pid, out string? ports,
        out string? complaint)
    {
        verb = ControlVerb.List;
        pid = null;
        ports = null;
        complaint = null;
        var operands = new List<string>();
        for (int i = 1; i < args.Count; i++)
        {
            if (args[0] == "attach" && args[i] == "-p" && i + 1 < args.Count)
            {
                ports = args[++i];
            }
            else if (args[0] == "attach" && args[i].StartsWith("-p", StringComparison.Ordinal) && args[i].Length > 2)
            {
                ports = args[i][2..];
            }
            else if (args[i].StartsWith('-'))
            {
                complaint = $"{args[0]}: unknown option {args[i]}";
                return false;
            }
            else
            {
                operands.Add(args[i]);
            }
        }

        if (ports is not null && !PortRangeSyntax.TryParse(ports, out _, out string? why))
        {
            complaint = $"{why}\nBad UDP port range ({ports})";
            return false;
        }

        int maxOperands = args[0] == "list" ? 0 : 1;
        if (operands.Count > maxOperands || (args[0] == "kill" && operands.Count == 0))
        {
            complaint = args[0] == "kill" ? "kill needs exactly one PID" : $"{args[0]}: too many arguments";
            return false;
        }

        if (operands.Count == 1)
        {
            if (!int.TryParse(operands[0], NumberStyles.None, CultureInfo.InvariantCulture, out int value) || value <= 0)
            {
                complaint = $"not a process id: {operands[0]}";
                return false;
            }

            pid = value;
        }

        verb = args[0] switch
        {
            "list" => ControlVerb.List,
            "kill" => ControlVerb.Kill,
            _ => ControlVerb.Attach,
        };
        return true;
    }

    private static List<SessionStatus> Collect(ControlClient client, TextWriter stderr, string programName)
    {
        var sessions = new List<SessionStatus>();
        foreach (int pid in client.SessionPids())
        {
            string? reply = client.Exchange(pid, new ControlRequest(ControlVerb.List, null), out string? error);
            if (reply is not null && reply.StartsWith("ok ", StringComparison.Ordinal) && SessionStatus.FromWire(reply[3..]) is { } status)
            {
                sessions.Add(status);
            }
            else if (error is not null || reply is not null)
            {
                stderr.Write($"{programName}: session {pid}: {error ?? reply}\n");
            }
        }

        return sessions;
    }

    private static void PrintTable(IEnumerable<SessionStatus> sessions, TextWriter writer)
    {
        writer.Write(SessionStatus.TableHeader + "\n");
        foreach (SessionStatus session in sessions)
        {
            writer.Write(session.ToTableRow() + "\n");
        }
    }

    private static int List(ControlClient client, string programName, TextWriter stdout, TextWriter stderr)
    {
        List<SessionStatus> sessions = Collect(client, stderr, programName);
        if (sessions.Count == 0)
        {
            stderr.Write($"{programName}: no sessions of yours are running on this host\n");
            return 0;
        }

        PrintTable(sessions, stdout);
        return 0;
    }

    private static int Attach(ControlClient client, int? pid, string? ports, string programName, TextWriter stdout, TextWriter stderr)
    {
        if (pid is null)
        {
            List<SessionStatus> sessions = Collect(client, stderr, programName);
            List<SessionStatus> detached = sessions.FindAll(s => !s.Attached);
            if (detached.Count != 1)
            {
                if (sessions.Count == 0)
                {
                    stderr.Write($"{programName}: no sessions of yours are running on this host\n");
                }
                else
                {
                    PrintTable(sessions, stderr);
                    stderr.Write(detached.Count == 0
                        ? $"{programName}: no detached session; name one to take it over: {programName} attach PID\n"
                        : $"{programName}: {detached.Count} detached sessions; name one: {programName} attach PID\n");
                }

                return FailureExitStatus;
            }

            pid = detached[0].Pid;
        }

        string? reply = client.Exchange(pid.Value, new ControlRequest(ControlVerb.Attach, ports), out string? error);
        if (reply is null)
        {
            stderr.Write($"{programName}: {error ?? $"no session of yours has pid {pid}"}\n");
            return FailureExitStatus;
        }

        string[] words = reply.Split(' ');
        if (words is not ["ok", string port, string key] || !int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out _))
        {
            stderr.Write($"{programName}: session {pid}: {(reply.StartsWith("error ", StringComparison.Ordinal) ? reply[6..] : "unexpected reply")}\n");
            return FailureExitStatus;
        }

        // Exactly what "new" prints, so every wrapper and client takes it as it is.
        if (Termios.IsTerminal(0))
        {
            stdout.Write("\r\n\n");
        }

        stdout.Write($"MOSH CONNECT {port} {key}\n");
        stdout.Flush();
        stderr.Write("\n" + ProductInfo.VersionBanner("mosh-server") + "\n");
        stderr.Write($"[mosh-server attached to session, pid = {pid}]\n");
        return 0;
    }

    private static int Kill(ControlClient client, int pid, string programName, TextWriter stderr)
    {
        string? reply = client.Exchange(pid, new ControlRequest(ControlVerb.Kill, null), out string? error);
        if (reply is null)
        {
            stderr.Write($"{programName}: {error ?? $"no session of yours has pid {pid}"}\n");
            return FailureExitStatus;
        }

        if (reply != "ok")
        {
            stderr.Write($"{programName}: session {pid}: {(reply.StartsWith("error ", StringComparison.Ordinal) ? reply[6..] : "unexpected reply")}\n");
            return FailureExitStatus;
        }

        // Return once the session is gone, so its shell has had its hangup and utmp is clean.
        long deadline = Environment.TickCount64 + KillWaitMs;
        while (Directory.Exists("/proc/" + pid.ToString(CultureInfo.InvariantCulture)) && Environment.TickCount64 < deadline)
        {
            Thread.Sleep(20);
        }

        return 0;
    }
}
