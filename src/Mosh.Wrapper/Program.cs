using Mosh.Util;

namespace Mosh.Wrapper;

internal static class Program
{
    private static int Main(string[] args)
    {
        if (args.Length == 1 && args[0] == "--version")
        {
            Console.Out.Write(ProductInfo.VersionBanner("mosh"));
            return 0;
        }
        Console.Error.Write("Usage: mosh [options] [--] [user@]host [command...]\n");
        return args.Length == 1 && args[0] == "--help" ? 0 : 255;
    }
}
