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
            int result = SessionCommand.Run(args, programName, Environment.GetEnvironmentVariable, Console.Out, Console.Error);
            Console.Out.Flush();
            Console.Error.Flush();
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
