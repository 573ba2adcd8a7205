using Mosh.Util;

namespace Mosh.Server;

internal static class Program
{
    private static int Main(string[] args)
    {
        if (args.Length == 1 && args[0] == "--version")
        {
            Console.Out.Write(ProductInfo.VersionBanner("mosh-server"));
            return 0;
        }
        Console.Error.Write("Usage: mosh-server new [-s] [-v] [-i LOCALADDR] [-p PORT[:PORT2]] [-c COLORS] [-l NAME=VALUE] [-- COMMAND...]\n");
        return args.Length == 1 && args[0] == "--help" ? 0 : 1;
    }
}
