using System.Text;

namespace Mosh.Benchmarks.Terminal;

/// <summary>Synthetic program output for the emulator benchmarks (deterministic, about 1 MiB each).</summary>
internal static class TerminalStreams
{
    public const int TargetSize = 1 << 20;

    private static readonly string[] Words =
        ["lorem", "ipsum", "dolor", "sit", "amet", "consectetur", "adipiscing", "elit", "sed", "do", "eiusmod", "tempor"];

    /// <summary>Plain ASCII lines of 40..79 characters ending in CR LF, like `cat` of a text file.</summary>
    public static byte[] PlainAsciiLines()
    {
        var random = new Random(1);
        var builder = new StringBuilder(TargetSize + 100);
        while (builder.Length < TargetSize)
        {
            int length = random.Next(40, 80);
            int start = builder.Length;
            while (builder.Length - start < length)
            {
                builder.Append(Words[random.Next(Words.Length)]).Append(' ');
            }

            builder.Length = start + length;
            builder.Append("\r\n");
        }

        return Encoding.ASCII.GetBytes(builder.ToString());
    }

    /// <summary>`ls --color` style output: short names in bold colours, SGR around every name.</summary>
    public static byte[] ColourfulListing()
    {
        var random = new Random(2);
        string[] styles = ["01;34", "01;32", "01;36", "00", "01;31", "40;33;01", "38;5;208", "38;2;255;128;0"];
        var builder = new StringBuilder(TargetSize + 200);
        while (builder.Length < TargetSize)
        {
            for (int column = 0; column < 5; column++)
            {
                string extension = Words[random.Next(Words.Length)];
                string name = Words[random.Next(Words.Length)] + "." + extension[..Math.Min(3, extension.Length)];
                builder.Append("\e[0m\e[").Append(styles[random.Next(styles.Length)]).Append('m').Append(name).Append("\e[0m");
                builder.Append(' ', Math.Max(1, 16 - name.Length));
            }

            builder.Append("\r\n");
        }

        return Encoding.ASCII.GetBytes(builder.ToString());
    }

    /// <summary>Full-screen redraws of an 80x24 application (cursor addressing, erase, colours, a status bar, UTF-8).</summary>
    public static byte[] FullScreenRedraws()
    {
        var random = new Random(3);
        var builder = new StringBuilder(TargetSize + 4000);
        while (builder.Length < TargetSize)
        {
            builder.Append("\e[?25l\e[H\e[2J");
            for (int row = 1; row <= 23; row++)
            {
                builder.Append("\e[").Append(row).Append(";1H\e[K");
                builder.Append("\e[38;5;").Append(random.Next(256)).Append('m').Append(row.ToString("D3")).Append("\e[0m ");
                int col = 4;
                while (col < 76)
                {
                    string word = Words[random.Next(Words.Length)];
                    if (random.Next(4) == 0)
                    {
                        builder.Append("\e[1;3").Append(random.Next(8)).Append('m').Append(word).Append("\e[22;39m");
                    }
                    else
                    {
                        builder.Append(word);
                    }

                    builder.Append(random.Next(10) == 0 ? "é " : " ");
                    col += word.Length + 2;
                }
            }

            builder.Append("\e[24;1H\e[7m -- INSERT --").Append(' ', 50).Append("\e[0m\e[").Append(random.Next(1, 24)).Append(";10H\e[?25h");
        }

        return Encoding.UTF8.GetBytes(builder.ToString());
    }
}
