using System.Text;

namespace Mosh.Tests.Terminal;

/// <summary>The emulator's steady state (text, colours, cursor motion, scrolling, replies) allocates nothing.</summary>
[TestFixture]
public class EmulatorAllocationTests
{
    [Test]
    public void SteadyStateOutputDoesNotAllocate()
    {
        byte[] stream = Encoding.UTF8.GetBytes(
            "plain text line\r\n\e[1;31mred\e[0m \e[38;5;208morange\e[m \e[38:2::1:2:3mrgb\e[m é中\u0301\r\n" +
            "\e[5;10H\e[K\e[2J\e[H\e[3L\e[2M\e[4@\e[2P\e[X\e[S\e[T\e[?25l\e[?25h\t\b\a\e7\e8\eM\eD\e[6n\r\n");
        var e = EmulatorTesting.New();
        for (int i = 0; i < 100; i++)
        {
            e.Write(stream); // warm up: rows become owned, buffers grow
        }

        e.ClearTerminalToHost();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++)
        {
            e.Write(stream);
            e.ClearTerminalToHost();
        }

        Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.Zero);
    }

    [Test]
    public void FramesEqualInContentButNotInTabStopsAreEqual()
    {
        var a = EmulatorTesting.New().Run("x");
        var b = EmulatorTesting.New().Run("x\eH");
        Assert.That(a.Framebuffer.Equals(b.Framebuffer), Is.True);
    }
}
