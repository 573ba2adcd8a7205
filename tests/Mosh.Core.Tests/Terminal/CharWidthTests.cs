using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using Mosh.Terminal;
using Mosh.Util;

namespace Mosh.Tests.Terminal;

[TestFixture]
public partial class CharWidthTests
{
    private const int LcCtype = 0; // glibc's LC_CTYPE

    /// <summary>
    /// Code points where we deliberately answer differently from Debian 12's glibc 2.36 wcwidth, with the reason.
    /// Empty: the generator reproduces glibc's rules (utf8_gen.py, Unicode 14.0) exactly.
    /// </summary>
    private static readonly Dictionary<int, (int Ours, string Reason)> AcceptedDifferences = [];

    // The oracle: glibc's own wcwidth (a test-only binding; the product never calls it).
    [LibraryImport("libc", EntryPoint = "wcwidth")]
    private static partial int WcWidth(int wideChar);

    [Test]
    public void EveryCodePointAgreesWithGlibcWcwidthInCUtf8()
    {
        Assert.That(LibC.SetLocale(LcCtype, "C.UTF-8"), Is.Not.EqualTo(IntPtr.Zero), "C.UTF-8 locale unavailable");

        var mismatches = new StringBuilder();
        int count = 0;
        for (int cp = 0; cp <= 0x10FFFF; cp++)
        {
            int ours = CharWidth.Of(cp);
            int expected = AcceptedDifferences.TryGetValue(cp, out var accepted) ? accepted.Ours : WcWidth(cp);
            if (ours != expected && ++count <= 20)
            {
                mismatches.Append($"U+{cp:X4}: ours {ours}, glibc {expected}\n");
            }
        }

        Assert.That(count, Is.Zero, mismatches.ToString());
    }

    [TestCase(0x41, 1, TestName = "Of_LatinLetter_IsOneColumn")]
    [TestCase(0x20, 1, TestName = "Of_Space_IsOneColumn")]
    [TestCase(0x00, 0, TestName = "Of_Nul_IsZeroLikeWcwidth")]
    [TestCase(0x07, -1, TestName = "Of_C0Control_IsNotPrintable")]
    [TestCase(0x7F, -1, TestName = "Of_Delete_IsNotPrintable")]
    [TestCase(0x9B, -1, TestName = "Of_C1Control_IsNotPrintable")]
    [TestCase(0xE9, 1, TestName = "Of_LatinSmallEAcute_IsOneColumn")]
    [TestCase(0xAD, 1, TestName = "Of_SoftHyphen_IsOneColumnDespiteCf")]
    [TestCase(0x0301, 0, TestName = "Of_CombiningAcute_IsZero")]
    [TestCase(0x0600, 1, TestName = "Of_PrependedConcatenationMark_IsOneColumn")]
    [TestCase(0x1160, 0, TestName = "Of_HangulJungseong_IsZero")]
    [TestCase(0xD7B0, 0, TestName = "Of_HangulJamoExtendedB_IsZero")]
    [TestCase(0x200B, 0, TestName = "Of_ZeroWidthSpace_IsZero")]
    [TestCase(0x2028, -1, TestName = "Of_LineSeparator_IsNotPrintable")]
    [TestCase(0x3248, 2, TestName = "Of_CircledNumberTenOnBlackSquare_IsWide")]
    [TestCase(0x4DC0, 2, TestName = "Of_HexagramSymbol_IsWide")]
    [TestCase(0x4E00, 2, TestName = "Of_CjkIdeograph_IsWide")]
    [TestCase(0xAC00, 2, TestName = "Of_HangulSyllable_IsWide")]
    [TestCase(0xD800, -1, TestName = "Of_Surrogate_IsNotPrintable")]
    [TestCase(0xE000, 1, TestName = "Of_PrivateUse_IsOneColumn")]
    [TestCase(0xFEFF, 0, TestName = "Of_ByteOrderMark_IsZero")]
    [TestCase(0xFF21, 2, TestName = "Of_FullwidthLetter_IsWide")]
    [TestCase(0xFFFF, -1, TestName = "Of_Noncharacter_IsNotPrintable")]
    [TestCase(0x1F600, 2, TestName = "Of_Emoji_IsWide")]
    [TestCase(0x1F6DC, -1, TestName = "Of_CharacterNewInUnicode15_IsUnassignedLikeGlibc236")]
    [TestCase(0x20000, 2, TestName = "Of_CjkExtensionB_IsWide")]
    [TestCase(0xE0001, 0, TestName = "Of_LanguageTag_IsZero")]
    [TestCase(0x10FFFD, 1, TestName = "Of_SupplementaryPrivateUse_IsOneColumn")]
    [TestCase(0x110000, -1, TestName = "Of_BeyondUnicode_IsNotPrintable")]
    [TestCase(-1, -1, TestName = "Of_Negative_IsNotPrintable")]
    [TestCase(int.MinValue, -1, TestName = "Of_MinValue_IsNotPrintable")]
    public void Of_KnownCharacter_HasGlibcWidth(int codePoint, int expected)
    {
        Assert.That(CharWidth.Of(codePoint), Is.EqualTo(expected));
    }

    [Test]
    public void GeneratedTableIsWhatTheGeneratorProducesFromDebianUnicodeData()
    {
        Prerequisite.RequireFiles("Debian's unicode-data package", "/usr/share/unicode/UnicodeData.txt");

        string root = TestContext.CurrentContext.TestDirectory;
        while (!File.Exists(Path.Combine(root, "tools", "gen-width-table.py")))
        {
            root = Path.GetDirectoryName(root) ?? throw new InvalidOperationException("repository root not found");
        }

        string output = Path.Combine(Path.GetTempPath(), $"CharWidthTable-{Environment.ProcessId}.g.cs");
        try
        {
            var start = new ProcessStartInfo("python3") { RedirectStandardError = true };
            start.ArgumentList.Add(Path.Combine(root, "tools", "gen-width-table.py"));
            start.ArgumentList.Add("--output");
            start.ArgumentList.Add(output);
            using var process = Process.Start(start)!;
            string errors = process.StandardError.ReadToEnd();
            process.WaitForExit();
            Assert.That(process.ExitCode, Is.Zero, errors);

            string committed = File.ReadAllText(Path.Combine(root, "src", "Mosh.Core", "Terminal", "CharWidthTable.g.cs"));
            Assert.That(File.ReadAllText(output), Is.EqualTo(committed), "re-run tools/gen-width-table.py");
        }
        finally
        {
            File.Delete(output);
        }
    }
}
