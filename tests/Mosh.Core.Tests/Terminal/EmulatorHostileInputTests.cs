using System.Text;
using Mosh.Terminal;

namespace Mosh.Tests.Terminal;

/// <summary>Hostile byte streams must leave the emulator bounded in memory and work, and still usable.</summary>
[TestFixture]
public class EmulatorHostileInputTests
{
    private const int Megabyte = 1024 * 1024;

    private static long AllocatedWhileWriting(Emulator e, byte[] input)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        e.Write(input);
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }

    private static byte[] Bytes(string s) => Encoding.UTF8.GetBytes(s);

    private static void AssertStillWorks(Emulator e)
    {
        e.Run("\u0018\e\\\e[H\e[2Jok");
        Assert.That(e.Line(0), Is.EqualTo("ok"));
    }

    [Test]
    public void HugeParameterCountsAsMissingAndCostsNoMemory()
    {
        var e = EmulatorTesting.New().Run("\e[6;1H");
        long allocated = AllocatedWhileWriting(e, Bytes("\e[" + new string('9', 2 * Megabyte) + "A"));
        Assert.That(e.Cursor(), Is.EqualTo((4, 0))); // default of 1
        Assert.That(allocated, Is.LessThan(Megabyte));
        AssertStillWorks(e);
    }

    [Test]
    public void EndlessControlSequenceStaysBounded()
    {
        var e = EmulatorTesting.New();
        var builder = new StringBuilder("\e[");
        for (int i = 0; i < Megabyte; i++)
        {
            builder.Append("1;");
        }

        long allocated = AllocatedWhileWriting(e, Bytes(builder.ToString()));
        Assert.That(e.Parser.State, Is.EqualTo(ParserState.CsiParam));
        Assert.That(allocated, Is.LessThan(Megabyte));
        AssertStillWorks(e);
    }

    [Test]
    public void EndlessOscStaysBoundedAndTheTitleCapped()
    {
        var e = EmulatorTesting.New();
        long allocated = AllocatedWhileWriting(e, Bytes("\e]2;" + new string('t', 2 * Megabyte)));
        e.Run("\a");
        Assert.That(e.Framebuffer.WindowTitle, Has.Length.EqualTo(Emulator.MaxTitleLength - 2));
        Assert.That(allocated, Is.LessThan(Megabyte));
        AssertStillWorks(e);
    }

    [Test]
    public void EndlessDcsAndApcStringsAreSwallowed()
    {
        var e = EmulatorTesting.New();
        long allocated = AllocatedWhileWriting(e, Bytes("\eP1$q" + new string('x', 2 * Megabyte) + "\e\\\e_" + new string('y', 2 * Megabyte)));
        Assert.That(e.Line(0), Is.Empty);
        Assert.That(allocated, Is.LessThan(Megabyte));
        AssertStillWorks(e);
    }

    [Test]
    public void MaximalRepeatCountsAreCheap()
    {
        var e = EmulatorTesting.New(200, 100);
        var builder = new StringBuilder();
        for (int i = 0; i < 500; i++)
        {
            builder.Append("x\e[65535@\e[65535P\e[65535L\e[65535M\e[65535S\e[65535T\e[65535X\e[65535I\e[65535Z\e[65535;65535H\e[65535A");
        }

        e.Run(builder.ToString());
        AssertStillWorks(e);
    }

    [Test]
    public void ManyIntermediatesDoNotOverflow()
    {
        var e = EmulatorTesting.New().Run("\e" + new string(' ', 10_000) + "0\e[" + new string('!', 10_000) + "p");
        AssertStillWorks(e);
    }

    [Test]
    public void InvalidUtf8FloodPrintsReplacementCharacters()
    {
        var e = EmulatorTesting.New();
        var bytes = new byte[100_000];
        Array.Fill(bytes, (byte)0xFF);
        e.Write(bytes);
        Assert.That(e.Line(0), Is.EqualTo(new string('\uFFFD', 80)));
        AssertStillWorks(e);
    }

    [Test]
    public void ManyDistinctHyperlinksKeepTheTableBounded()
    {
        var e = EmulatorTesting.New();
        var builder = new StringBuilder();
        for (int i = 0; i < 20_000; i++)
        {
            builder.Append($"\e]8;;http://h/{i}\ax\e]8;;\a");
        }

        e.Run(builder.ToString());
        Assert.That(e.Framebuffer.HyperlinkCount, Is.LessThanOrEqualTo(2 * (80 * 24 + 2))); // pruning keeps at most twice the live links
        int id = e.Cell(23, 0).Renditions.HyperlinkId;
        Assert.That(e.Framebuffer.GetHyperlink(id), Is.Not.Null);
    }

    [Test]
    public void HugeCombiningSequenceStaysInOneBoundedCell()
    {
        var e = EmulatorTesting.New();
        long allocated = AllocatedWhileWriting(e, Bytes("a" + new string('\u0300', Megabyte)));
        Assert.That(e.Text(0, 0).Length, Is.LessThanOrEqualTo(Cell.MaxContentsUtf8Length));
        Assert.That(allocated, Is.LessThan(Megabyte));
    }

    [Test]
    public void RandomBytesNeverThrowAndKeepTheCursorOnScreen()
    {
        var random = new Random(1234);
        var e = EmulatorTesting.New(80, 24);
        var buffer = new byte[64 * 1024];
        for (int round = 0; round < 8; round++)
        {
            random.NextBytes(buffer);
            e.Write(buffer);
            e.ClearTerminalToHost();
            var s = e.Framebuffer.State;
            Assert.That(s.CursorRow, Is.InRange(0, 23));
            Assert.That(s.CursorColumn, Is.InRange(0, 79));
        }
    }
}
