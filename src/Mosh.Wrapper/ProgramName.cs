namespace Mosh.Wrapper;

/// <summary>The name the wrapper was started as (argv[0]), which its messages begin with, as upstream's do.</summary>
internal static class ProgramName
{
    public static string Current
    {
        get
        {
            string[] args = Environment.GetCommandLineArgs();
            return args.Length > 0 && args[0].Length > 0 ? args[0] : "mosh";
        }
    }
}
