namespace Mosh.Tests.Terminal;

[TestFixture]
public class EmulatorTabTests
{
    [Test]
    public void DefaultTabStopsAreEveryEightColumns()
    {
        var e = EmulatorTesting.New().Run("\t");
        Assert.That(e.Cursor(), Is.EqualTo((0, 8)));
        Assert.That(e.Run("abc\t").Cursor(), Is.EqualTo((0, 16)));
    }

    [Test]
    public void TabWithNoStopAheadGoesToTheLastColumn() => Assert.That(EmulatorTesting.New().Run("\e[75G\t").Cursor(), Is.EqualTo((0, 79)));

    [Test]
    public void HtsSetsAStopAtTheCursor()
    {
        var e = EmulatorTesting.New().Run("\e[4G\eH\r\t");
        Assert.That(e.Cursor(), Is.EqualTo((0, 3)));
    }

    [Test]
    public void TbcZeroClearsTheStopAtTheCursor() => Assert.That(EmulatorTesting.New().Run("\e[9G\e[g\r\t").Cursor(), Is.EqualTo((0, 16)));

    [Test]
    public void TbcThreeClearsAllStops() => Assert.That(EmulatorTesting.New().Run("\e[3g\t").Cursor(), Is.EqualTo((0, 79)));

    [Test]
    public void ChtMovesForwardSeveralStops() => Assert.That(EmulatorTesting.New().Run("\e[3I").Cursor(), Is.EqualTo((0, 24)));

    [Test]
    public void CbtMovesBackSeveralStopsAndStopsAtColumnZero()
    {
        Assert.That(EmulatorTesting.New().Run("\e[30G\e[2Z").Cursor(), Is.EqualTo((0, 16)));
        Assert.That(EmulatorTesting.New().Run("\e[30G\e[99Z").Cursor(), Is.EqualTo((0, 0)));
    }

    [Test]
    public void TabKeepsThePendingWrap()
    {
        var e = EmulatorTesting.New(10, 3).Run("0123456789\tX");
        Assert.That(e.Line(1), Is.EqualTo("X"));
    }

    [Test]
    public void BackTabScenarioFromUpstream()
    {
        var e = EmulatorTesting.New().Run(
            "hello, wurld\e[Zo\r\nhello, wurld\e[2Zo\r\nhello, wurld\e[99Z9\r\nhello, wurld\e[It\r\n\e[99I#\r\n");
        Assert.That(e.Line(0), Is.EqualTo("hello, world"));
        Assert.That(e.Line(1), Is.EqualTo("oello, wurld"));
        Assert.That(e.Line(2), Is.EqualTo("9ello, wurld"));
        Assert.That(e.Line(3), Is.EqualTo("hello, wurld    t"));
        Assert.That(e.Line(4), Is.EqualTo(new string(' ', 79) + "#"));
    }
}
