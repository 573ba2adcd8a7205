using Mosh.Util.CommandLine;
using Mosh.Terminal;

namespace Mosh.Client;

internal static class Program
{
    private static int Main(string[] args)
    {
        string programName = Environment.GetCommandLineArgs() is [{ Length: > 0 } argv0, ..] ? argv0 : "mosh-client";
        CommandLineResult<ClientOptions> parsed = ClientOptions.Parse(args, programName, ProcessEnvironment.Take,
            Environment.GetEnvironmentVariable, () => TerminalColors.Query(Environment.GetEnvironmentVariable("TERM"), TerminfoDatabase.Load));
        if (parsed.Report() is int status)
        {
            return status;
        }
        return ClientMain.Run(parsed.Options!);
    }
}
