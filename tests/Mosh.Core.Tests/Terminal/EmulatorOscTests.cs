using Mosh.Terminal;

namespace Mosh.Tests.Terminal;

[TestFixture]
public class EmulatorOscTests
{
    [Test]
    public void OscZeroSetsTitleAndIconName()
    {
        var fb = EmulatorTesting.New().Run("\e]0;hello\a").Framebuffer;
        Assert.That((fb.WindowTitle, fb.IconName, fb.TitleInitialized), Is.EqualTo(("hello", "hello", true)));
    }

    [Test]
    public void OscOneSetsOnlyTheIconName()
    {
        var fb = EmulatorTesting.New().Run("\e]1;icon\e\\").Framebuffer;
        Assert.That((fb.WindowTitle, fb.IconName), Is.EqualTo(("", "icon")));
    }

    [Test]
    public void OscTwoSetsOnlyTheTitle()
    {
        var fb = EmulatorTesting.New().Run("\e]2;title\u009C").Framebuffer;
        Assert.That((fb.WindowTitle, fb.IconName), Is.EqualTo(("title", "")));
    }

    [Test]
    public void OscWithOnlySemicolonIsTreatedAsZero() =>
        Assert.That(EmulatorTesting.New().Run("\e];bare\a").Framebuffer.IconName, Is.EqualTo("bare"));

    [Test]
    public void TitleKeepsNonAsciiCharacters() =>
        Assert.That(EmulatorTesting.New().Run("\e]2;glück 😀\a").Framebuffer.WindowTitle, Is.EqualTo("glück 😀"));

    [Test]
    public void TitleIsCappedAtTwoHundredFiftySixCharactersOfTheOscString()
    {
        var fb = EmulatorTesting.New().Run("\e]2;" + new string('x', 1000) + "\a").Framebuffer;
        Assert.That(fb.WindowTitle, Has.Length.EqualTo(254));
    }

    [Test]
    public void UnknownOscIsIgnored()
    {
        var fb = EmulatorTesting.New().Run("\e]7;file://host/\a\e]123;x\a").Framebuffer;
        Assert.That((fb.WindowTitle, fb.TitleInitialized), Is.EqualTo(("", false)));
    }

    [Test]
    public void ClipboardIsStoredVerbatim() =>
        Assert.That(EmulatorTesting.New().Run("\e]52;c;aGVsbG8=\a").Framebuffer.Clipboard, Is.EqualTo("aGVsbG8="));

    [Test]
    public void ClipboardOfOtherSelectionsIsIgnored() =>
        Assert.That(EmulatorTesting.New().Run("\e]52;p;aGVsbG8=\a").Framebuffer.Clipboard, Is.Empty);

    [Test]
    public void OscCancelledByCanStillApplies()
    {
        // As upstream: leaving the OSC state for any reason ends (and applies) the OSC.
        var e = EmulatorTesting.New().Run("\e]2;cut\u0018x");
        Assert.That(e.Framebuffer.WindowTitle, Is.EqualTo("cut"));
        Assert.That(e.Line(0), Is.EqualTo("x"));
    }

    [Test]
    public void OscDoesNotPrint() => Assert.That(EmulatorTesting.New().Run("\e]2;title\aafter").Line(0), Is.EqualTo("after"));

    [Test]
    public void HyperlinkAppliesToPrintedCellsUntilEnded()
    {
        var e = EmulatorTesting.New().Run("\e]8;id=a;https://example.org/\alink\e]8;;\a plain");
        int id = e.Cell(0, 0).Renditions.HyperlinkId;
        Assert.That(id, Is.Not.Zero);
        Assert.That(e.Cell(0, 3).Renditions.HyperlinkId, Is.EqualTo(id));
        Assert.That(e.Cell(0, 5).Renditions.HyperlinkId, Is.Zero);
        Assert.That(e.Framebuffer.GetHyperlink(id), Is.EqualTo(new Hyperlink("id=a", "https://example.org/")));
    }

    [Test]
    public void ErasedCellsLoseTheHyperlink()
    {
        var e = EmulatorTesting.New().Run("\e]8;;http://x\alink\r\e[K");
        Assert.That(e.Cell(0, 0).Renditions.HyperlinkId, Is.Zero);
    }

    [Test]
    public void HyperlinkWithNonPrintableCharactersIsIgnored() =>
        Assert.That(EmulatorTesting.New().Run("\e]8;;http://ü\a").Framebuffer.State.Renditions.HyperlinkId, Is.Zero);

    [Test]
    public void HyperlinkWithoutSecondSemicolonIsIgnored() =>
        Assert.That(EmulatorTesting.New().Run("\e]8;http://x\a").Framebuffer.State.Renditions.HyperlinkId, Is.Zero);

    [Test]
    public void SameHyperlinkGetsTheSameId()
    {
        var e = EmulatorTesting.New().Run("\e]8;;u\aa\e]8;;\ab\e]8;;u\ac");
        Assert.That(e.Cell(0, 2).Renditions.HyperlinkId, Is.EqualTo(e.Cell(0, 0).Renditions.HyperlinkId));
    }

    [Test]
    public void HyperlinkIsNotRestoredByDecrc()
    {
        var e = EmulatorTesting.New().Run("\e7\e]8;;u\a\e8x");
        Assert.That(e.Cell(0, 0).Renditions.HyperlinkId, Is.Not.Zero);
    }

    [Test]
    public void A_clipboard_osc_keeps_up_to_two_MiB_while_other_oscs_stay_at_upstreams_16_KiB()
    {
        string big = new('A', 1_500_000);
        Emulator emulator = EmulatorTesting.New().Run($"\e]52;c;{big}\a");
        Assert.That(emulator.Framebuffer.Clipboard, Is.EqualTo(big));

        emulator.Run($"\e]52;c;{new string('B', Emulator.MaxClipboardOscLength + 100)}\a");
        Assert.That(emulator.Framebuffer.Clipboard, Has.Length.EqualTo(Emulator.MaxClipboardOscLength - 5));

        emulator.Run($"\e]8;;{new string('x', 100_000)}\a");
        emulator.Run($"\e]2;{new string('t', 100_000)}\a");
        Assert.That(emulator.Framebuffer.WindowTitle, Has.Length.EqualTo(Emulator.MaxTitleLength - 2));
    }
}
