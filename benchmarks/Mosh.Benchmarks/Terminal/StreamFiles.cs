namespace Mosh.Benchmarks.Terminal;

/// <summary>
/// <c>Mosh.Benchmarks write-streams DIR</c>: writes the emulator benchmarks' byte streams (plain.txt, listing.txt,
/// redraw.txt) so other emulators (upstream's, through a harness of your own) can be timed on the same bytes.
/// </summary>
internal static class StreamFiles
{
    public const string Command = "write-streams";

    public static int Run(ReadOnlySpan<string> args)
    {
        if (args.Length != 1)
        {
            Console.Error.WriteLine("usage: write-streams DIRECTORY");
            return 1;
        }

        Directory.CreateDirectory(args[0]);
        File.WriteAllBytes(Path.Combine(args[0], "plain.txt"), TerminalStreams.PlainAsciiLines());
        File.WriteAllBytes(Path.Combine(args[0], "listing.txt"), TerminalStreams.ColourfulListing());
        File.WriteAllBytes(Path.Combine(args[0], "redraw.txt"), TerminalStreams.FullScreenRedraws());
        return 0;
    }
}
