using Mosh.Util;
using static Mosh.Tests.Util.PtyTestHelpers;

namespace Mosh.Tests.Util;

[TestFixture]
public class PseudoTerminalTests
{
    [Test]
    public void Open_GivesAnUnlockedSlaveThatIsATerminal()
    {
        using var pty = PseudoTerminal.Open();

        int slave = LibC.Open(pty.SlavePath, LibC.O_RDWR | LibC.O_NOCTTY | LibC.O_CLOEXEC);
        try
        {
            Assert.That(slave, Is.GreaterThanOrEqualTo(0), "unlockpt let us open the slave");
            Assert.That(Termios.IsTerminal(slave), Is.True);
            Assert.That(Termios.IsTerminal(pty.MasterFd), Is.True);
        }
        finally
        {
            LibC.Close(slave);
        }
    }

    [Test]
    public void WindowSize_SetOnMaster_IsSeenOnTheSlave()
    {
        using var pty = PseudoTerminal.Open();
        var size = new WindowSize(50, 132, 1056, 800);

        pty.WindowSize = size;

        int slave = LibC.Open(pty.SlavePath, LibC.O_RDWR | LibC.O_NOCTTY | LibC.O_CLOEXEC);
        try
        {
            Assert.That(Termios.GetWindowSize(slave), Is.EqualTo(size));
            Assert.That(pty.WindowSize, Is.EqualTo(size));
        }
        finally
        {
            LibC.Close(slave);
        }
    }

    [Test]
    public void EnableUtf8_SetsIutf8ForTheChild()
    {
        using var pty = PseudoTerminal.Open();
        Assert.That(Termios.GetAttributes(pty.MasterFd).InputFlags & TerminalAttributes.IUTF8, Is.Zero, "kernel default");

        pty.EnableUtf8();
        var child = ChildProcess.Start("/bin/sh", ["sh", "-c", "stty -a"], MinimalEnvironment, pty.SlavePath);

        Assert.That(ReadUntilEnd(pty), Does.Match(@"(^|\s)iutf8(\s|$)"));
        child.WaitForExit();
    }

    [Test]
    public void TryRead_NonBlockingWithNothingToRead_ReturnsFalse()
    {
        using var pty = PseudoTerminal.Open();
        var child = ChildProcess.Start("/bin/sh", ["sh", "-c", "read -r x; echo \"$x\""], MinimalEnvironment, pty.SlavePath);
        pty.SetNonBlocking(true);

        Assert.That(pty.TryRead(new byte[64], out _), Is.False);

        pty.SetNonBlocking(false);
        pty.WriteAll("\n"u8);
        ReadUntilEnd(pty);
        child.WaitForExit();
    }

    [Test]
    public void WriteAll_LargeInput_ArrivesWhole()
    {
        using var pty = PseudoTerminal.Open();
        var child = ChildProcess.Start("/bin/sh", ["sh", "-c", "stty -echo -icanon; echo ready; head -c 100000 | wc -c"],
            MinimalEnvironment, pty.SlavePath);
        ReadUntil(pty, "ready");
        pty.SetNonBlocking(true); // exercises the wait-for-room path: the pty buffer is far smaller than the input

        byte[] data = new byte[100_000];
        Array.Fill(data, (byte)'a');
        Assert.That(pty.WriteAll(data), Is.True);

        pty.SetNonBlocking(false);
        Assert.That(Lines(ReadUntilEnd(pty)), Does.Contain("100000"));
        child.WaitForExit();
    }
}
