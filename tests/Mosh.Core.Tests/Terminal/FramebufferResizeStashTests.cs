using Mosh.Terminal;

namespace Mosh.Tests.Terminal;

/// <summary>
/// A height change on the primary screen as a terminal with scrollback makes it (xterm, tmux): a shrink keeps the
/// cursor's row by taking rows off the top once the rows below the cursor are gone, and a grow takes those rows
/// back, as the terminal takes them back from its scrollback.
/// </summary>
[TestFixture]
public class FramebufferResizeStashTests
{
    /// <summary>A 4-column frame of <paramref name="rows"/> rows "r0", "r1", ... with the cursor on <paramref name="cursorRow"/>.</summary>
    private static Framebuffer Numbered(int rows, int cursorRow)
    {
        var fb = new Framebuffer(4, rows);
        for (int y = 0; y < rows; y++)
        {
            Row row = fb.GetMutableRow(y);
            string text = $"r{y}";
            for (int x = 0; x < text.Length; x++)
            {
                row.SetCharacter(x, text[x], default, false);
            }
        }

        fb.State.MoveRow(cursorRow);
        return fb;
    }

    private static string Text(Framebuffer fb) => string.Join(",", fb.ToString().Split('\n').Select(line => line.Trim()));

    [Test]
    public void A_shrink_with_the_cursor_on_the_bottom_row_takes_the_top_rows_off_and_keeps_the_cursors_row()
    {
        Framebuffer fb = Numbered(6, 5);
        fb.Resize(4, 4, likeScrollbackTerminal: true);
        Assert.Multiple(() =>
        {
            Assert.That(Text(fb), Is.EqualTo("r2,r3,r4,r5"));
            Assert.That(fb.State.CursorRow, Is.EqualTo(3));
            Assert.That(fb.ResizeStashCount, Is.EqualTo(2));
        });
    }

    [Test]
    public void A_shrink_cuts_the_rows_below_the_cursor_first()
    {
        Framebuffer fb = Numbered(6, 3);
        fb.Resize(4, 4, likeScrollbackTerminal: true);
        Assert.That((Text(fb), fb.State.CursorRow, fb.ResizeStashCount), Is.EqualTo(("r0,r1,r2,r3", 3, 0)));
        fb.Resize(4, 2, likeScrollbackTerminal: true);
        Assert.That((Text(fb), fb.State.CursorRow, fb.ResizeStashCount), Is.EqualTo(("r2,r3", 1, 2)));
    }

    [Test]
    public void Growing_back_takes_the_rows_back_in_order_and_then_adds_blank_rows()
    {
        Framebuffer fb = Numbered(6, 5);
        fb.Resize(4, 3, likeScrollbackTerminal: true);
        fb.Resize(4, 4, likeScrollbackTerminal: true);
        Assert.That((Text(fb), fb.State.CursorRow), Is.EqualTo(("r2,r3,r4,r5", 3)));
        fb.Resize(6, 8, likeScrollbackTerminal: true);
        Assert.Multiple(() =>
        {
            Assert.That(Text(fb), Is.EqualTo("r0,r1,r2,r3,r4,r5,,"));
            Assert.That(fb.State.CursorRow, Is.EqualTo(5));
            Assert.That(fb.GetRow(0).Width, Is.EqualTo(6), "a row taken back has the new width");
            Assert.That(fb.ResizeStashCount, Is.Zero);
        });
    }

    [Test]
    public void After_the_screen_scrolled_a_grow_adds_blank_rows_at_the_bottom()
    {
        Framebuffer fb = Numbered(6, 5);
        fb.Resize(4, 4, likeScrollbackTerminal: true);
        fb.Scroll(1); // newer lines now top the terminal's scrollback
        fb.Resize(4, 6, likeScrollbackTerminal: true);
        Assert.That((Text(fb), fb.ResizeStashCount), Is.EqualTo(("r3,r4,r5,,,", 0)));
    }

    [Test]
    public void Without_the_option_or_on_the_alternate_screen_rows_are_cut_at_the_bottom_as_upstream()
    {
        Framebuffer fb = Numbered(6, 5);
        fb.Resize(4, 4);
        Assert.That((Text(fb), fb.State.CursorRow, fb.ResizeStashCount), Is.EqualTo(("r0,r1,r2,r3", 3, 0)));

        Framebuffer alternate = Numbered(6, 5);
        alternate.EnterAlternateScreen(clear: true);
        alternate.State.MoveRow(5);
        alternate.Resize(4, 4, likeScrollbackTerminal: true);
        Assert.That((alternate.State.CursorRow, alternate.ResizeStashCount), Is.EqualTo((3, 0)));
    }
}
