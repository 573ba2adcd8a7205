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
        return options.FakeProxy
            ? FakeProxy.Run(options.Host, options.Command[0], options.Family, programName)
            : SessionBootstrap.Run(options, programName);
    }
}
