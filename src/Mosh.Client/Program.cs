using Mosh.Util;

namespace Mosh.Client;

internal static class Program
{
    private static int Main(string[] args)
    {
        if (args.Length == 1 && args[0] == "--version")
        {
            Console.Out.Write(ProductInfo.VersionBanner("mosh-client"));
            return 0;
        }
        Console.Error.Write("Usage: mosh-client [-# 'ARGS'] IP PORT\n       mosh-client -c\n");
        return args.Length == 1 && args[0] == "--help" ? 0 : 1;
    }
}
