using System.Text;
using Mosh.Util;

namespace Mosh.Tests.Util;

/// <summary>Reading a pty master in tests with a deadline, so a broken child cannot hang the run.</summary>
internal static class PtyTestHelpers
{
    public static readonly string[] MinimalEnvironment = ["PATH=/usr/sbin:/usr/bin:/sbin:/bin", "TERM=xterm", "LANG=C.UTF-8"];

    /// <summary>Everything the child writes until the slave is closed (EIO), as text.</summary>
    public static string ReadUntilEnd(PseudoTerminal pty, int timeoutMilliseconds = 10_000)
    {
        var output = new StringBuilder();
        ReadWhile(pty, _ => true, output, timeoutMilliseconds, out bool ended);
        Assert.That(ended, Is.True, $"no end of output within {timeoutMilliseconds} ms; got: {output}");
        return output.ToString();
    }

    /// <summary>Reads until the output so far contains <paramref name="text"/>.</summary>
    public static string ReadUntil(PseudoTerminal pty, string text, int timeoutMilliseconds = 10_000)
    {
        var output = new StringBuilder();
        ReadWhile(pty, o => !o.ToString().Contains(text, StringComparison.Ordinal), output, timeoutMilliseconds, out _);
        Assert.That(output.ToString(), Does.Contain(text));
        return output.ToString();
    }

    private static void ReadWhile(PseudoTerminal pty, Func<StringBuilder, bool> keepGoing, StringBuilder output,
        int timeoutMilliseconds, out bool ended)
    {
        ended = false;
        byte[] buffer = new byte[4096];
        long deadline = Environment.TickCount64 + timeoutMilliseconds;
        Span<PollDescriptor> set = stackalloc PollDescriptor[1];
        while (keepGoing(output))
        {
            int remaining = (int)(deadline - Environment.TickCount64);
            if (remaining <= 0)
            {
                return;
            }

            set[0] = new PollDescriptor(pty.MasterFd, PollEvents.Readable);
            if (Poll.Wait(set, remaining) == 0 || !set[0].IsReadReady)
            {
                continue;
            }

            if (pty.TryRead(buffer, out int count))
            {
                if (count == 0)
                {
                    ended = true;
                    return;
                }

                output.Append(Encoding.UTF8.GetString(buffer, 0, count));
            }
        }
    }

    /// <summary>The lines of terminal output, without the CR the line discipline adds.</summary>
    public static string[] Lines(string output) =>
        output.Replace("\r", "", StringComparison.Ordinal).Split('\n', StringSplitOptions.RemoveEmptyEntries);
}
