using Mosh.Terminal;

namespace Mosh.Tests.Terminal;

/// <summary>DEC private modes 47, 1047 and 1049 as xterm implements them: a second screen buffer, kept aside.</summary>
[TestFixture]
public class EmulatorAlternateScreenTests
{
    private const string Shell = "$ ls\r\nfile1 file2\r\n$ vim";

    [Test]
    public void Mode_1049_saves_the_cursor_shows_a_cleared_alternate_screen_and_restores_screen_and_cursor_on_exit()
    {
        Emulator emulator = EmulatorTesting.New(20, 5).Run(Shell);

        emulator.Run("\e[?1049h");
        Assert.That(emulator.IsAlternateScreen, Is.True);
        Assert.That(emulator.Line(0) + emulator.Line(1) + emulator.Line(2), Is.Empty, "entered cleared");

        emulator.Run("\e[Hediting\e[3;3Hmore\e[?1049l");
        Assert.That(emulator.IsAlternateScreen, Is.False);
        Assert.That((emulator.Line(0), emulator.Line(1), emulator.Line(2)), Is.EqualTo(("$ ls", "file1 file2", "$ vim")));
        Assert.That(emulator.Cursor(), Is.EqualTo((2, 5)), "the cursor saved on entry");

        emulator.Run("\e[?1049h");
        Assert.That(emulator.Line(0), Is.Empty, "1049 clears what the last visit left");
    }

    [Test]
    public void Mode_47_keeps_both_buffers_and_the_cursor_where_it_is()
    {
        Emulator emulator = EmulatorTesting.New(20, 5).Run(Shell);

        emulator.Run("\e[?47h");
        Assert.That(emulator.Line(0), Is.Empty);
        emulator.Run("\e[Halternate\e[?47l");
        Assert.That(emulator.Line(0), Is.EqualTo("$ ls"));
        Assert.That(emulator.Cursor(), Is.EqualTo((0, 9)), "47 does not restore the cursor");

        emulator.Run("\e[?47h");
        Assert.That(emulator.Line(0), Is.EqualTo("alternate"), "47 shows the alternate screen as it was left");
    }

    [Test]
    public void Mode_1047_clears_the_alternate_screen_when_leaving_it()
    {
        Emulator emulator = EmulatorTesting.New(20, 5).Run(Shell);

        emulator.Run("\e[?1047h\e[Halternate\e[?1047l");
        Assert.That(emulator.Line(0), Is.EqualTo("$ ls"));
        emulator.Run("\e[?1047h");
        Assert.That(emulator.Line(0), Is.Empty);
    }

    [Test]
    public void Each_buffer_keeps_its_own_saved_cursor_and_a_resize_reaches_the_hidden_one()
    {
        Emulator emulator = EmulatorTesting.New(20, 5).Run(Shell + "\e[2;4H\e7");
        emulator.Run("\e[?1049h\e[4;4H\e7\e[H\e8");
        Assert.That(emulator.Cursor(), Is.EqualTo((3, 3)), "DECRC in the alternate screen uses its own slot");

        emulator.Resize(10, 3);
        emulator.Run("\e[?1049l");
        Assert.That((emulator.Framebuffer.Width, emulator.Framebuffer.Height), Is.EqualTo((10, 3)));
        Assert.That(emulator.Framebuffer.GetRow(1).Width, Is.EqualTo(10));
        Assert.That(emulator.Line(1), Is.EqualTo("file1 file"));
        emulator.Run("\e8");
        Assert.That(emulator.Cursor(), Is.EqualTo((1, 3)), "the normal screen's DECSC slot is back");
    }

    [Test]
    public void A_copy_keeps_the_hidden_buffer_apart_from_the_original()
    {
        Emulator emulator = EmulatorTesting.New(20, 5).Run(Shell + "\e[?1049h");
        Framebuffer copy = emulator.Framebuffer.Clone();

        emulator.Run("\e[?1049l\e[Hchanged");
        copy.LeaveAlternateScreen(clearFirst: false);

        Assert.That(copy.GetRow(0).ToString().TrimEnd(), Is.EqualTo("$ ls"));
        Assert.That(copy.Equals(emulator.Framebuffer), Is.False);
    }

    [Test]
    public void Screens_that_differ_only_in_which_buffer_is_shown_are_not_equal()
    {
        Framebuffer primary = new(10, 3);
        Framebuffer alternate = primary.Clone();
        alternate.EnterAlternateScreen(clear: true);

        Assert.That(alternate.Equals(primary), Is.False);
        Assert.That(alternate.IsAlternateScreen, Is.True);
    }

    [Test]
    public void A_full_reset_returns_to_the_normal_screen()
    {
        Emulator emulator = EmulatorTesting.New(20, 5).Run(Shell + "\e[?1049h\ec");
        Assert.That(emulator.IsAlternateScreen, Is.False);
    }
}
