using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Mosh.Terminal;

namespace Mosh.Tests.Terminal;

[TestFixture]
public class TerminfoTests
{
    // Legacy 16-bit entries (xterm, screen, linux, vt100, dumb, rxvt, putty) and ncurses 6's 32-bit-number
    // entries with user-defined capabilities (xterm-256color, xterm-direct, tmux-256color, alacritty...).
    private static readonly string[] Terminals =
    [
        "xterm", "xterm-256color", "xterm-direct", "screen", "screen-256color", "tmux-256color", "linux", "vt100",
        "dumb", "rxvt", "rxvt-unicode-256color", "st-256color", "putty", "alacritty",
    ];

    [TestCaseSource(nameof(Terminals))]
    public void Load_SystemTerminal_HasExactlyTheCapabilitiesInfocmpShows(string terminal)
    {
        var expected = InfocmpEntry.Run(terminal);
        var entry = TerminfoDatabase.Load(terminal);

        Assert.That(entry, Is.Not.Null);
        Assert.Multiple(() =>
        {
            Assert.That(string.Join("|", entry!.Names) + (entry.Description is null ? "" : "|" + entry.Description),
                Is.EqualTo(expected.NamesLine));
            Assert.That(entry.BooleanNames, Is.EquivalentTo(expected.Booleans));
            Assert.That(entry.Numbers, Is.EquivalentTo(expected.Numbers));
            Assert.That(entry.Strings.Select(c => KeyValuePair.Create(c.Key, c.Key == "acsc" ? SortedPairs(c.Value) : c.Value)),
                Is.EquivalentTo(expected.Strings));
        });
    }

    [TestCaseSource(nameof(Terminals))]
    public void Load_SystemTerminal_ColorsAgreeWithTput(string terminal)
    {
        int expected = int.Parse(Run("tput", $"-T{terminal}", "colors").Trim(), CultureInfo.InvariantCulture);

        var entry = TerminfoDatabase.Load(terminal);

        Assert.That(entry!.Colors ?? -1, Is.EqualTo(expected));
    }

    [Test]
    public void Load_Xterm256Color_ExposesTheCapabilitiesMoshUses()
    {
        var entry = TerminfoDatabase.Load("xterm-256color")!;

        Assert.Multiple(() =>
        {
            Assert.That(entry.Name, Is.EqualTo("xterm-256color"));
            Assert.That(entry.BackColorErase, Is.True);
            Assert.That(entry.EraseChars, Is.EqualTo("\e[%p1%dX"));
            Assert.That(entry.EnterCaMode, Is.EqualTo("\e[?1049h\e[22;0;0t"));
            Assert.That(entry.ExitCaMode, Is.EqualTo("\e[?1049l\e[23;0;0t"));
            Assert.That(entry.Colors, Is.EqualTo(256));
            Assert.That(entry.GetNumber("pairs"), Is.EqualTo(0x10000), "32-bit number of the extended format");
            Assert.That(entry.GetBoolean("AX"), Is.True, "user-defined boolean");
            Assert.That(entry.GetString("kUP5"), Is.EqualTo("\e[1;5A"), "user-defined string");
        });
    }

    [Test]
    public void Load_Vt100_HasNoBackColorEraseNorEch()
    {
        var entry = TerminfoDatabase.Load("vt100")!;

        Assert.Multiple(() =>
        {
            Assert.That(entry.BackColorErase, Is.False);
            Assert.That(entry.EraseChars, Is.Null);
            Assert.That(entry.Colors, Is.Null);
            Assert.That(entry.GetNumber("cols"), Is.EqualTo(80));
        });
    }

    [Test]
    public void Load_UnknownTerminal_IsNull()
    {
        Assert.That(TerminfoDatabase.Load("no-such-terminal-mosh"), Is.Null);
    }

    [TestCase(null)]
    [TestCase("")]
    [TestCase("../x/xterm")]
    [TestCase("x/xterm")]
    [TestCase(".hidden")]
    public void Load_NameThatIsNoTerminalName_IsNull(string? name)
    {
        Assert.That(TerminfoDatabase.Load(name), Is.Null);
    }

    [Test]
    public void SearchDirectories_FollowNcursesOrder()
    {
        var environment = new Dictionary<string, string>
        {
            ["TERMINFO"] = "/t",
            ["HOME"] = "/home/u",
            ["TERMINFO_DIRS"] = "/a::/b",
        };

        var directories = TerminfoDatabase.SearchDirectories(name => environment.GetValueOrDefault(name));

        Assert.That(directories, Is.EqualTo(new[]
        {
            "/t", "/home/u/.terminfo", "/a", "/usr/share/terminfo", "/b", "/etc/terminfo", "/lib/terminfo",
            "/usr/share/terminfo",
        }));
    }

    [Test]
    public void Load_FirstDirectoryWins_InLetterAndHexLayouts()
    {
        using var first = new TempDirectory();
        using var second = new TempDirectory();
        first.Write("6d/mosh-test", File.ReadAllBytes(SystemPath("vt100")));
        second.Write("m/mosh-test", File.ReadAllBytes(SystemPath("xterm-256color")));

        var fromFirst = TerminfoDatabase.Load("mosh-test", [first.Path, second.Path]);
        var fromSecond = TerminfoDatabase.Load("mosh-test", [second.Path, first.Path]);

        Assert.That(fromFirst!.Name, Is.EqualTo("vt100"), "hex layout");
        Assert.That(fromSecond!.Name, Is.EqualTo("xterm-256color"), "letter layout");
    }

    [Test]
    public void Load_CorruptEntry_IsSkippedForTheNextDirectory()
    {
        using var corrupt = new TempDirectory();
        using var good = new TempDirectory();
        corrupt.Write("m/mosh-test", [0x1A, 0x01, 0xFF, 0xFF]);
        good.Write("m/mosh-test", File.ReadAllBytes(SystemPath("vt100")));

        Assert.That(TerminfoDatabase.Load("mosh-test", [corrupt.Path, good.Path])!.Name, Is.EqualTo("vt100"));
    }

    [Test]
    public void Load_FifoDeviceOrDirectoryInTheWay_IsSkippedWithoutBlocking()
    {
        using var hostile = new TempDirectory();
        using var good = new TempDirectory();
        Directory.CreateDirectory(Path.Combine(hostile.Path, "m"));
        Run("mkfifo", Path.Combine(hostile.Path, "m", "mosh-fifo"));
        File.CreateSymbolicLink(Path.Combine(hostile.Path, "m", "mosh-zero"), "/dev/zero");
        Directory.CreateDirectory(Path.Combine(hostile.Path, "m", "mosh-dir"));
        foreach (string name in new[] { "mosh-fifo", "mosh-zero", "mosh-dir" })
        {
            good.Write("m/" + name, File.ReadAllBytes(SystemPath("vt100")));
        }

        Assert.Multiple(() =>
        {
            Assert.That(TerminfoDatabase.Load("mosh-fifo", [hostile.Path, good.Path])?.Name, Is.EqualTo("vt100"));
            Assert.That(TerminfoDatabase.Load("mosh-zero", [hostile.Path, good.Path])?.Name, Is.EqualTo("vt100"));
            Assert.That(TerminfoDatabase.Load("mosh-dir", [hostile.Path, good.Path])?.Name, Is.EqualTo("vt100"));
            Assert.That(TerminfoDatabase.Load("mosh-fifo", [hostile.Path]), Is.Null);
        });
    }

    [Test]
    public void CapabilityOrder_IsNcursesOrder()
    {
        IntPtr library = NativeLibrary.Load("libtinfo.so.6");
        try
        {
            Assert.Multiple(() =>
            {
                Assert.That(TerminfoNames.Booleans, Is.EqualTo(NullTerminatedNames(library, "boolnames")));
                Assert.That(TerminfoNames.Numbers, Is.EqualTo(NullTerminatedNames(library, "numnames")));
                Assert.That(TerminfoNames.Strings, Is.EqualTo(NullTerminatedNames(library, "strnames")));
            });
        }
        finally
        {
            NativeLibrary.Free(library);
        }
    }

    private static List<string> NullTerminatedNames(IntPtr library, string symbol)
    {
        IntPtr array = NativeLibrary.GetExport(library, symbol);
        var names = new List<string>();
        for (IntPtr entry; (entry = Marshal.ReadIntPtr(array, names.Count * IntPtr.Size)) != IntPtr.Zero;)
        {
            names.Add(Marshal.PtrToStringAnsi(entry)!);
        }

        return names;
    }

    [Test]
    public void Load_EnvironmentTerminfo_IsSearchedFirst()
    {
        using var directory = new TempDirectory();
        directory.Write("x/xterm", File.ReadAllBytes(SystemPath("vt100")));
        var directories = TerminfoDatabase.SearchDirectories(name => name == "TERMINFO" ? directory.Path : null);

        Assert.That(TerminfoDatabase.Load("xterm", directories)!.Name, Is.EqualTo("vt100"));
    }

    [Test]
    public void Parse_EntryCompiledByTic_KeepsCancelledAndUserDefinedCapabilitiesApart()
    {
        using var directory = new TempDirectory();
        string source = directory.Write("mosh.src", Encoding.ASCII.GetBytes(
            "mosh-base|base,\n\tam, bce, colors#8, ech=\\E[%p1%dX, smcup=\\E[?1049h, Xa, Xn#7, Xs=\\E]x\\,y\\200,\n" +
            "mosh-tic|Mosh tic test,\n\tbce@, ech@, Xn@, smcup=\\E7, Zz=^A, use=mosh-base,\n"));
        Run("tic", "-x", "-o", directory.Path, source);

        var entry = Terminfo.Parse(File.ReadAllBytes(Path.Combine(directory.Path, "m", "mosh-tic")))!;

        Assert.Multiple(() =>
        {
            Assert.That(entry.Name, Is.EqualTo("mosh-tic"));
            Assert.That(entry.Description, Is.EqualTo("Mosh tic test"));
            Assert.That(entry.GetBoolean("am"), Is.True);
            Assert.That(entry.BackColorErase, Is.False, "cancelled boolean");
            Assert.That(entry.EraseChars, Is.Null, "cancelled string");
            Assert.That(entry.EnterCaMode, Is.EqualTo("\e7"));
            Assert.That(entry.Colors, Is.EqualTo(8));
            Assert.That(entry.GetBoolean("Xa"), Is.True);
            Assert.That(entry.GetNumber("Xn"), Is.Null, "cancelled user-defined number");
            Assert.That(entry.GetString("Xs"), Is.EqualTo("\e]x,y\u0080"));
            Assert.That(entry.GetString("Zz"), Is.EqualTo("\u0001"));
            Assert.That(entry.GetString("nope"), Is.Null);
        });
    }

    [Test]
    public void Parse_HugeNumberFromTic_UsesTheThirtyTwoBitFormat()
    {
        using var directory = new TempDirectory();
        string source = directory.Write("big.src", "mosh-big|big,\n\tcolors#0x1000000, pairs#0x10000, Xn#70000,\n"u8.ToArray());
        Run("tic", "-x", "-o", directory.Path, source);
        byte[] compiled = File.ReadAllBytes(Path.Combine(directory.Path, "m", "mosh-big"));

        var entry = Terminfo.Parse(compiled)!;

        Assert.That(compiled[0..2], Is.EqualTo(new byte[] { 0x1E, 0x02 }));
        Assert.That((entry.Colors, entry.GetNumber("pairs"), entry.GetNumber("Xn")), Is.EqualTo((0x1000000, 0x10000, 70000)));
    }

    [TestCase("vt100")]
    [TestCase("xterm-256color")]
    public void Parse_EveryTruncation_IsRejectedOrPartialWithoutThrowing(string terminal)
    {
        byte[] full = File.ReadAllBytes(SystemPath(terminal));
        var complete = Terminfo.Parse(full)!;

        for (int length = 0; length < full.Length; length++)
        {
            var entry = Terminfo.Parse(full.AsSpan(0, length));
            if (entry is not null)
            {
                // Only the user-defined section may be cut off; what is parsed must still be right.
                Assert.That(entry.GetString("smcup"), Is.EqualTo(complete.GetString("smcup")), $"length {length}");
            }
        }

        Assert.That(Terminfo.Parse(full.AsSpan(0, 100)), Is.Null);
    }

    [Test]
    public void Parse_RandomCorruption_NeverThrows()
    {
        byte[] original = File.ReadAllBytes(SystemPath("xterm-256color"));
        var random = new Random(1234);
        int parsed = 0;
        for (int round = 0; round < 20000; round++)
        {
            byte[] copy = (byte[])original.Clone();
            int flips = random.Next(1, 8);
            for (int i = 0; i < flips; i++)
            {
                // Bias towards the headers and offsets, where corruption matters most.
                int position = random.Next(4) == 0 ? random.Next(copy.Length) : random.Next(Math.Min(copy.Length, 64));
                copy[position] = (byte)random.Next(256);
            }

            if (Terminfo.Parse(copy) is not null)
            {
                parsed++;
            }
        }

        Assert.That(parsed, Is.GreaterThan(0), "some corruptions only touch values and still parse");
    }

    [TestCase(new byte[] { }, TestName = "Parse_Empty_IsNull")]
    [TestCase(new byte[] { 0x1A, 0x01 }, TestName = "Parse_OnlyMagic_IsNull")]
    [TestCase(new byte[] { 0x1B, 0x01, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte)'x', 0 }, TestName = "Parse_WrongMagic_IsNull")]
    [TestCase(new byte[] { 0x1A, 0x01, 2, 0, 0xFF, 0xFF, 0, 0, 0, 0, 0, 0, (byte)'x', 0 }, TestName = "Parse_NegativeCount_IsNull")]
    [TestCase(new byte[] { 0x1A, 0x01, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte)'x', (byte)'y' }, TestName = "Parse_UnterminatedNames_IsNull")]
    [TestCase(new byte[] { 0x1A, 0x01, 2, 0, 0, 0, 0, 0, 1, 0, 4, 0, (byte)'x', 0, 0, 0 }, TestName = "Parse_StringTableBeyondEnd_IsNull")]
    public void Parse_MalformedHeader(byte[] data)
    {
        Assert.That(Terminfo.Parse(data), Is.Null);
    }

    [Test]
    public void Parse_StringOffsetOutsideTableOrUnterminated_IsAbsent()
    {
        // names "x", no booleans or numbers, three strings (cbt, bel, cr): offset 0x7000, offset 0 (unterminated "ab"),
        // and offset 1 ("b" also unterminated); table "ab" without NUL.
        byte[] data = [0x1A, 0x01, 2, 0, 0, 0, 0, 0, 3, 0, 2, 0, (byte)'x', 0, 0x00, 0x70, 0, 0, 1, 0, (byte)'a', (byte)'b'];

        var entry = Terminfo.Parse(data)!;

        Assert.That(entry.Strings, Is.Empty);
    }

    [Test]
    public void Parse_OversizedEntry_IsNull()
    {
        byte[] data = new byte[Terminfo.MaxEntrySize + 1];
        File.ReadAllBytes(SystemPath("vt100")).CopyTo(data, 0);

        Assert.That(Terminfo.Parse(data), Is.Null);
    }

    /// <summary>infocmp prints acsc with its character pairs sorted; the entry keeps them in source order.</summary>
    private static string SortedPairs(string acsc) =>
        string.Concat(Enumerable.Range(0, acsc.Length / 2).Select(i => acsc.Substring(i * 2, 2)).Order(StringComparer.Ordinal))
        + (acsc.Length % 2 == 1 ? acsc[^1..] : "");

    private static string SystemPath(string terminal)
    {
        string output = Run("infocmp", "-1", terminal);
        const string marker = "from file: ";
        int start = output.IndexOf(marker, StringComparison.Ordinal) + marker.Length;
        return output[start..output.IndexOf('\n', start)].Trim();
    }

    private static string Run(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.That(process.ExitCode, Is.Zero, $"{program} {string.Join(' ', arguments)}: {error.Result}");
        return output;
    }

    /// <summary>The capabilities <c>infocmp -1 -x</c> prints, with string escapes decoded to raw bytes.</summary>
    private sealed class InfocmpEntry
    {
        public string NamesLine { get; private set; } = "";
        public List<string> Booleans { get; } = [];
        public Dictionary<string, int> Numbers { get; } = [];
        public Dictionary<string, string> Strings { get; } = [];

        public static InfocmpEntry Run(string terminal)
        {
            var entry = new InfocmpEntry();
            foreach (string rawLine in TerminfoTests.Run("infocmp", "-1", "-x", terminal).Split('\n'))
            {
                if (rawLine.Length == 0 || rawLine[0] == '#')
                {
                    continue;
                }

                string line = rawLine.Trim()[..^1]; // one capability per line, ending with ','
                if (rawLine[0] != '\t')
                {
                    entry.NamesLine = line;
                }
                else if (line.IndexOf('=', StringComparison.Ordinal) is var equals and > 0)
                {
                    string name = line[..equals];
                    string value = Unescape(line[(equals + 1)..]);
                    entry.Strings[name] = name == "acsc" ? SortedPairs(value) : value;
                }
                else if (line.IndexOf('#', StringComparison.Ordinal) is var hash and > 0)
                {
                    string number = line[(hash + 1)..];
                    entry.Numbers[line[..hash]] = number.StartsWith("0x", StringComparison.Ordinal)
                        ? int.Parse(number[2..], NumberStyles.HexNumber, CultureInfo.InvariantCulture)
                        : int.Parse(number, CultureInfo.InvariantCulture);
                }
                else
                {
                    entry.Booleans.Add(line);
                }
            }

            return entry;
        }

        /// <summary>terminfo(5) source escapes: \E, ^X, \n \r \t \b \f \s \l \^ \\ \, \: \0 and \nnn octal.</summary>
        private static string Unescape(string text)
        {
            var result = new StringBuilder();
            for (int i = 0; i < text.Length; i++)
            {
                char c = text[i];
                if (c == '^' && i + 1 < text.Length)
                {
                    char next = text[++i];
                    result.Append(next == '?' ? '\x7F' : (char)(next & 0x1F));
                }
                else if (c == '\\' && i + 1 < text.Length)
                {
                    char next = text[++i];
                    if (next is >= '0' and <= '7' && i + 2 < text.Length && char.IsAsciiDigit(text[i + 1]))
                    {
                        result.Append((char)Convert.ToInt32(text.Substring(i, 3), 8));
                        i += 2;
                        continue;
                    }

                    result.Append(next switch
                    {
                        'E' or 'e' => '\e',
                        'n' or 'l' => '\n',
                        'r' => '\r',
                        't' => '\t',
                        'b' => '\b',
                        'f' => '\f',
                        's' => ' ',
                        'a' => '\a',
                        '0' => '\x80',
                        _ => next,
                    });
                }
                else
                {
                    result.Append(c);
                }
            }

            return result.ToString();
        }
    }

    private sealed class TempDirectory : IDisposable
    {
        public TempDirectory() => Directory.CreateDirectory(Path);

        public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "mosh-terminfo-" + Guid.NewGuid().ToString("N"));

        public string Write(string relativePath, byte[] content)
        {
            string path = System.IO.Path.Combine(Path, relativePath);
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
            File.WriteAllBytes(path, content);
            return path;
        }

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}
