using Mosh.Util;

namespace Mosh.Tests.Util;

[TestFixture]
public class TermiosTests
{
    [Test]
    public void EnterRawMode_OnPtySlave_IsAppliedAndRestoredExactly()
    {
        using var pty = PseudoTerminal.Open();
        int slave = LibC.Open(pty.SlavePath, LibC.O_RDWR | LibC.O_NOCTTY | LibC.O_CLOEXEC);
        try
        {
            var before = Termios.GetAttributes(slave);
            Assert.That(before.LocalFlags & TerminalAttributes.ICANON, Is.Not.Zero, "a new pty starts cooked");

            var original = Termios.EnterRawMode(slave);
            var raw = Termios.GetAttributes(slave);

            Assert.Multiple(() =>
            {
                Assert.That(Bytes(original), Is.EqualTo(Bytes(before)));
                Assert.That(raw.LocalFlags & (TerminalAttributes.ICANON | TerminalAttributes.ECHO | TerminalAttributes.ISIG), Is.Zero);
                Assert.That(raw.InputFlags & TerminalAttributes.ICRNL, Is.Zero);
                Assert.That(raw.OutputFlags & TerminalAttributes.OPOST, Is.Zero);
                Assert.That(raw.InputFlags & TerminalAttributes.IUTF8, Is.Not.Zero, "IUTF8 kept on in raw mode");
            });

            Termios.SetAttributes(slave, original);
            Assert.That(Bytes(Termios.GetAttributes(slave)), Is.EqualTo(Bytes(before)));
        }
        finally
        {
            LibC.Close(slave);
        }
    }

    [Test]
    public void IsTerminal_RegularFile_IsFalse()
    {
        using var file = File.OpenHandle("/proc/self/status");
        int fd = (int)file.DangerousGetHandle();

        Assert.Multiple(() =>
        {
            Assert.That(Termios.IsTerminal(fd), Is.False);
            Assert.That(Termios.TryGetAttributes(fd, out _), Is.False);
            Assert.That(Termios.TryGetWindowSize(fd, out _), Is.False);
            Assert.Throws<IOException>(() => Termios.GetAttributes(fd));
        });
    }

    private static byte[] Bytes(TerminalAttributes attributes) =>
        System.Runtime.InteropServices.MemoryMarshal.AsBytes(new ReadOnlySpan<TerminalAttributes>(in attributes)).ToArray();
}
