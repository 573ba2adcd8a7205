using Mosh.Util;

namespace Mosh.Wrapper;

/// <summary>
/// <c>mosh --list [user@]host</c>: runs <c>mosh-server list</c> on the host (through ssh, or here with
/// <c>--local</c>) behind the same probe as <c>--attach</c>, and shows its table. Exit status: the server's, or
/// <see cref="SessionBootstrap.FailureExitStatus"/> when the host's mosh-server has no session commands.
/// </summary>
internal static class SessionListing
{
    public static int Run(WrapperOptions options, string programName)
    {
        EnvironmentBlock environment = EnvironmentBlock.FromCurrentProcess();
        string? ownPath = Environment.ProcessPath;
        string command = ServerInvocation.SessionCommandLine(
            options.ServerCommand ?? (options.Local && ExecutableLocator.Find("mosh-server", ownPath, environment["PATH"]) is { } found
                ? ShellWords.Quote(found)
                : "mosh-server"),
            ServerInvocation.SessionArguments(options));

        PipedChild child;
        try
        {
            if (options.Local)
            {
                child = PipedChild.Start("/bin/sh", ["/bin/sh", "-c", command], environment, stderrToPipe: true);
            }
            else
            {
                // No pty: the table goes through as plain lines. No ProxyCommand either: no address is needed.
                var argv = new List<string>(options.SshCommand) { "-n", options.Host, "--", command };
                child = PipedChild.Start(argv[0], argv, environment, stderrToPipe: true);
            }
        }
        catch (SpawnException e)
        {
            StandardStreams.WriteError($"{programName}: Cannot exec {(options.Local ? "/bin/sh" : options.SshCommand[0])}: {e.Message}");
            return SessionBootstrap.FailureExitStatus;
        }

        bool notOurs = Relay(child);
        child.Output.Dispose();
        int status = child.WaitForExit();
        if (notOurs)
        {
            StandardStreams.WriteError(SessionBootstrap.NoSessionCommandsMessage(options, programName));
            return SessionBootstrap.FailureExitStatus;
        }

        return status;
    }

    /// <summary>Copies the output to ours, holding back the probe's marker line; true if the marker came.</summary>
    private static bool Relay(PipedChild child)
    {
        var line = new List<byte>(256);
        byte[] buffer = new byte[4096];
        bool marker = false;
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

            for (int i = 0; i < n; i++)
            {
                line.Add(buffer[i]);
                if (buffer[i] == (byte)'\n')
                {
                    marker |= Emit(line);
                    line.Clear();
                }
            }

            if (n == 0)
            {
                if (line.Count > 0)
                {
                    marker |= Emit(line);
                }

                return marker;
            }
        }
    }

    private static bool Emit(List<byte> line)
    {
        byte[] raw = [.. line];
        if (System.Text.Encoding.Latin1.GetString(raw).TrimEnd() == ServerInvocation.NoSessionCommandsLine)
        {
            return true;
        }

        StandardStreams.WriteOutput(raw);
        return false;
    }
}
