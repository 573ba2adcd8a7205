using Mosh.Util;
using Mosh.Util.CommandLine;

namespace Mosh.Server;

internal static class Program
{
    private static int Main(string[] args)
    {
        string programName = Environment.GetCommandLineArgs() is [{ Length: > 0 } argv0, ..] ? argv0 : "mosh-server";
        if (SessionCommand.IsSessionCommand(args))
        {
            // Before ServerOptions: these words must never fall into the legacy "IP [PORT]" form.
            // Collected, then written with plain write(2): System.Console is banned (StandardStreams says why).
            using var stdout = new StringWriter();
            using var stderr = new StringWriter();
            int result = SessionCommand.Run(args, programName, Environment.GetEnvironmentVariable, stdout, stderr);
            StandardStreams.WriteOutput(stdout.ToString());
            StandardStreams.WriteErrorText(stderr.ToString());
            return result;
        }

        CommandLineResult<ServerOptions> parsed = ServerOptions.Parse(args, programName, Environment.GetEnvironmentVariable);
        if (parsed.Report() is int status)
        {
            return status;
        }
        return ServerMain.Run(args, parsed.Options!);
    }
}
