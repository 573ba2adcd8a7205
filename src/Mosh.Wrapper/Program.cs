using Mosh.Util.CommandLine;

namespace Mosh.Wrapper;

internal static class Program
{
    private static int Main(string[] args)
    {
        string programName = ProgramName.Current;
        CommandLineResult<WrapperOptions> parsed =
            WrapperOptions.Parse(args, programName, Environment.GetEnvironmentVariable("MOSH_PREDICTION_DISPLAY"));
        if (parsed.Report() is int status)
        {
            return status;
        }
        WrapperOptions options = parsed.Options!;
        if (options.FakeProxy)
        {
            return FakeProxy.Run(options.Host, options.Command[0], options.Family, programName);
        }

        return options.ListSessions ? SessionListing.Run(options, programName) : SessionBootstrap.Run(options, programName);
    }
}
