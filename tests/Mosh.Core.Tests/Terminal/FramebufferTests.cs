using Mosh.Terminal;

namespace Mosh.Tests.Terminal;

[TestFixture]
public class FramebufferTests
{
    private static void Put(Framebuffer fb, int row, int col, string text)
    {
        var r = fb.GetMutableRow(row);
        for (int i = 0; i < text.Length; i++)
        {
            r.SetCharacter(col + i, text[i], default, false);
        }
    }

    [Test]
    public void NewFrameIsBlankWithCursorHome()
    {
        var fb = new Framebuffer(10, 3);
        Assert.That(fb.Width, Is.EqualTo(10));
        Assert.That(fb.Height, Is.EqualTo(3));
        Assert.That(fb.State.CursorRow, Is.Zero);
        Assert.That(fb.GetCell(2, 9).IsEmpty, Is.True);
        Assert.That(fb.State.AutoWrapMode && fb.State.CursorVisible, Is.True);
    }

    [Test]
    public void CloneSharesRowsUntilOneSideWrites()
    {
        var fb = new Framebuffer(10, 3);
        Put(fb, 0, 0, "abc");
        var copy = fb.Clone();
        Assert.That(copy.GetRow(1), Is.SameAs(fb.GetRow(1)));
        Put(fb, 1, 0, "new");
        Assert.That(copy.GetRow(1), Is.Not.SameAs(fb.GetRow(1)));
        Assert.That(copy.GetRow(1).ToString().Trim(), Is.Empty);
        Assert.That(fb.GetRow(1).ToString().Trim(), Is.EqualTo("new"));
        Assert.That(copy.GetRow(0), Is.SameAs(fb.GetRow(0)));
    }

    [Test]
    public void CopyAlsoProtectsTheOriginalFromWritesThroughTheCopy()
    {
        var fb = new Framebuffer(10, 3);
        var copy = fb.Clone();
        Put(copy, 0, 0, "x");
        Assert.That(fb.GetRow(0).ToString().Trim(), Is.Empty);
    }

    [Test]
    public void CopyFromReusesAndShares()
    {
        var a = new Framebuffer(10, 3);
        Put(a, 2, 0, "z");
        var b = new Framebuffer(10, 3);
        b.CopyFrom(a);
        Assert.That(b.Equals(a), Is.True);
        Put(b, 2, 1, "q");
        Assert.That(a.GetRow(2).ToString().TrimEnd(), Is.EqualTo("z"));
    }

    [Test]
    public void WritingAfterCopyFromReusesARowTheFrameDroppedWithTheSourcesContents()
    {
        var server = new Framebuffer(10, 3);
        Put(server, 1, 0, "srv");
        server.GetMutableRow(1).Wrap = true;
        Put(server, 1, 3, "e");
        foreach (char mark in "\u0301\u0302\u0303\u0304\u0305\u0306")
        {
            server.GetMutableRow(1).AppendToCell(3, mark); // longer than a cell holds inline
        }

        var client = new Framebuffer(10, 3);
        client.CopyFrom(server);
        Row painted = client.GetMutableRow(0);
        client.CopyFrom(server); // drops the painted row, which no other frame saw

        Row reused = client.GetMutableRow(1);

        Assert.That(reused, Is.SameAs(painted));
        Assert.That(reused, Is.Not.SameAs(server.GetRow(1)));
        Assert.That(reused.IdenticalTo(server.GetRow(1)), Is.True, "same cells, wrap flag and generation");
        Assert.That(reused.GetTextString(3), Is.EqualTo("e\u0301\u0302\u0303\u0304\u0305\u0306"));
        Assert.That(client.GetRow(0), Is.SameAs(server.GetRow(0)));
    }

    [Test]
    public void ReusedRowsNeverReachAFrameThatSharesThem()
    {
        var server = new Framebuffer(10, 3);
        Put(server, 0, 0, "abc");
        var client = new Framebuffer(10, 3);
        client.CopyFrom(server);
        Put(client, 0, 3, "X");
        var snapshot = client.Clone(); // shares the painted row: it is no longer the client's alone
        client.CopyFrom(server);
        Put(client, 0, 3, "Y");
        Put(client, 1, 0, "Z");

        Assert.That(snapshot.GetRow(0).ToString().TrimEnd(), Is.EqualTo("abcX"));
        Assert.That(snapshot.GetRow(1).ToString().Trim(), Is.Empty);
        Assert.That(server.GetRow(0).ToString().TrimEnd(), Is.EqualTo("abc"));
        Assert.That(client.GetRow(0).ToString().TrimEnd(), Is.EqualTo("abcY"));
    }

    [Test]
    public void SpareRowsOfAnotherWidthAreNotReused()
    {
        var wide = new Framebuffer(12, 3);
        var client = new Framebuffer(10, 3);
        Put(client, 0, 0, "old");
        client.CopyFrom(wide);
        Put(client, 0, 0, "new");
        Assert.That(client.GetRow(0).Width, Is.EqualTo(12));
        Assert.That(client.GetRow(0).ToString().TrimEnd(), Is.EqualTo("new"));
        Assert.That(wide.GetRow(0).ToString().Trim(), Is.Empty);
    }

    [Test]
    public void FramesWithSameContentAreEqualAndDifferencesAreSeen()
    {
        var a = new Framebuffer(10, 3);
        var b = new Framebuffer(10, 3);
        Assert.That(a.Equals(b), Is.True);
        Put(a, 1, 1, "x");
        Assert.That(a.Equals(b), Is.False);
        Put(b, 1, 1, "x");
        Assert.That(a.Equals(b), Is.True);
        b.RingBell();
        Assert.That(a.Equals(b), Is.False);
    }

    [Test]
    public void CursorMoveMakesFramesUnequal()
    {
        var a = new Framebuffer(10, 3);
        var b = a.Clone();
        b.State.MoveColumn(3);
        Assert.That(a.Equals(b), Is.False);
    }

    [Test]
    public void DeleteLinesScrollsTheRegionUpAndInsertsBlankRowsWithOneGeneration()
    {
        var fb = new Framebuffer(5, 4);
        for (int i = 0; i < 4; i++)
        {
            Put(fb, i, 0, i.ToString());
        }

        fb.DeleteLines(1, 2);
        Assert.That(fb.ToString(), Is.EqualTo("0    \n3    \n     \n     "));
        Assert.That(fb.GetRow(2).Gen, Is.EqualTo(fb.GetRow(3).Gen));
        Assert.That(fb.GetRow(2), Is.Not.SameAs(fb.GetRow(3)));
    }

    [Test]
    public void InsertLinesPushesRowsOffTheRegionBottom()
    {
        var fb = new Framebuffer(5, 4);
        for (int i = 0; i < 4; i++)
        {
            Put(fb, i, 0, i.ToString());
        }

        fb.State.SetScrollingRegion(0, 2);
        fb.InsertLines(1, 1);
        Assert.That(fb.ToString(), Is.EqualTo("0    \n     \n1    \n3    "));
    }

    [Test]
    public void ScrollingDoesNotDisturbAFrameCopiedBefore()
    {
        var fb = new Framebuffer(5, 3);
        Put(fb, 0, 0, "a");
        Put(fb, 1, 0, "b");
        var snapshot = fb.Clone();
        fb.Scroll(1);
        Put(fb, 2, 0, "c");
        Assert.That(snapshot.ToString(), Is.EqualTo("a    \nb    \n     "));
        Assert.That(fb.ToString(), Is.EqualTo("b    \n     \nc    "));
    }

    [Test]
    public void ResizeKeepsContentCutsAndPads()
    {
        var fb = new Framebuffer(5, 3);
        Put(fb, 0, 0, "hello");
        fb.GetMutableRow(0).Wrap = true;
        fb.Resize(3, 4);
        Assert.That(fb.ToString(), Is.EqualTo("hel\n   \n   \n   "));
        Assert.That(fb.GetRow(0).Wrap, Is.False);
        fb.Resize(6, 2);
        Assert.That(fb.ToString(), Is.EqualTo("hel   \n      "));
    }

    [Test]
    public void ResizeSnapsCursorAndResetsScrollingRegion()
    {
        var fb = new Framebuffer(10, 10);
        fb.State.SetScrollingRegion(2, 5);
        fb.State.MoveRow(9);
        fb.State.MoveColumn(9);
        fb.Resize(4, 4);
        Assert.That((fb.State.CursorRow, fb.State.CursorColumn), Is.EqualTo((3, 3)));
        Assert.That((fb.State.ScrollingRegionTop, fb.State.ScrollingRegionBottom), Is.EqualTo((0, 3)));
    }

    [Test]
    public void ResizeWiderAddsDefaultTabStopsUnlessAllWereCleared()
    {
        var fb = new Framebuffer(10, 2);
        fb.Resize(20, 2);
        Assert.That(fb.State.TabStops.IsSet(16), Is.True);
        fb.State.ClearAllTabs();
        fb.Resize(40, 2);
        Assert.That(fb.State.TabStops.IsSet(32), Is.False);
    }

    [Test]
    public void HyperlinksAreInternedAndResolvable()
    {
        var fb = new Framebuffer(10, 2);
        int id = fb.InternHyperlink(new Hyperlink("id=1", "https://example.org/"));
        Assert.That(id, Is.Not.Zero);
        Assert.That(fb.InternHyperlink(new Hyperlink("id=1", "https://example.org/")), Is.EqualTo(id));
        Assert.That(fb.GetHyperlink(id), Is.EqualTo(new Hyperlink("id=1", "https://example.org/")));
        Assert.That(fb.InternHyperlink(new Hyperlink("", "")), Is.Zero);
    }

    [Test]
    public void HyperlinkAddedAfterACopyIsNotSeenByTheCopy()
    {
        var fb = new Framebuffer(10, 2);
        var copy = fb.Clone();
        int id = fb.InternHyperlink(new Hyperlink("", "a"));
        Assert.That(copy.GetHyperlink(id), Is.Null);
        int other = copy.InternHyperlink(new Hyperlink("", "b"));
        Assert.That(other, Is.Not.EqualTo(id));
    }

    [Test]
    public void HyperlinkTableStaysBoundedWhenLinksAreNotOnScreen()
    {
        var fb = new Framebuffer(10, 2);
        for (int i = 0; i < 5000; i++)
        {
            fb.InternHyperlink(new Hyperlink("", "u" + i));
        }

        Assert.That(fb.HyperlinkCount, Is.LessThanOrEqualTo(300));
    }

    [Test]
    public void ResetKeepsBellCountAndClearsTitleAndClipboard()
    {
        var fb = new Framebuffer(10, 2);
        fb.RingBell();
        fb.SetWindowTitle("t");
        fb.SetClipboard("c");
        Put(fb, 0, 0, "x");
        fb.Reset();
        Assert.That(fb.BellCount, Is.EqualTo(1));
        Assert.That(fb.WindowTitle, Is.Empty);
        Assert.That(fb.Clipboard, Is.Empty);
        Assert.That(fb.GetCell(0, 0).IsEmpty, Is.True);
    }

    [Test]
    public void AbsurdSizesAreClampedInsteadOfExhaustingMemory()
    {
        var fb = new Framebuffer(0, -5);
        Assert.That((fb.Width, fb.Height), Is.EqualTo((1, 1)));
        fb.Resize(int.MaxValue, 65535);
        Assert.That((fb.Width, fb.Height), Is.EqualTo((Framebuffer.MaxWidth, Framebuffer.MaxHeight)));
    }
}
