using Mosh.Terminal;

namespace Mosh.Tests.Terminal;

[TestFixture]
public class EmulatorHostAnswerTests
{
    [Test]
    public void PrimaryDeviceAttributesAnswerAsVt220()
    {
        Assert.That(EmulatorTesting.New().Run("\e[c").Answers(), Is.EqualTo("\e[?62c"));
        Assert.That(EmulatorTesting.New().Run("\e[0c").Answers(), Is.EqualTo("\e[?62c"));
    }

    [Test]
    public void SecondaryDeviceAttributes() => Assert.That(EmulatorTesting.New().Run("\e[>c").Answers(), Is.EqualTo("\e[>1;10;0c"));

    [Test]
    public void StatusReport() => Assert.That(EmulatorTesting.New().Run("\e[5n").Answers(), Is.EqualTo("\e[0n"));

    [Test]
    public void CursorPositionReportIsOneBased() =>
        Assert.That(EmulatorTesting.New().Run("\e[12;34H\e[6n").Answers(), Is.EqualTo("\e[12;34R"));

    [Test]
    public void AnswersAccumulateUntilCleared()
    {
        var e = EmulatorTesting.New().Run("\e[5n\e[c");
        Assert.That(e.Answers(), Is.EqualTo("\e[0n\e[?62c"));
        e.ClearTerminalToHost();
        Assert.That(e.TerminalToHost.IsEmpty, Is.True);
    }

    [Test]
    public void UndrainedAnswersAreBounded()
    {
        var e = EmulatorTesting.New().Run(string.Concat(Enumerable.Repeat("\e[6n", 50_000)));
        Assert.That(e.TerminalToHost.Length, Is.LessThanOrEqualTo(Emulator.MaxPendingAnswerBytes));
    }

    [Test]
    public void CursorKeysBecomeAnsiWhenTheApplicationDidNotAskForApplicationMode()
    {
        var e = EmulatorTesting.New();
        e.UserInput("\eOA\eOD"u8);
        Assert.That(e.Answers(), Is.EqualTo("\e[A\e[D"));
    }

    [Test]
    public void CursorKeysStayApplicationModeWhenDecckmIsOn()
    {
        var e = EmulatorTesting.New().Run("\e[?1h");
        e.UserInput("\eOB"u8);
        Assert.That(e.Answers(), Is.EqualTo("\eOB"));
    }

    [Test]
    public void OtherSs3KeysPassUnchanged()
    {
        var e = EmulatorTesting.New();
        e.UserInput("\eOP\eOH"u8);
        Assert.That(e.Answers(), Is.EqualTo("\eOP\eOH"));
    }

    [Test]
    public void KeySequenceSplitAcrossCallsIsStillTranslated()
    {
        var e = EmulatorTesting.New();
        e.UserInput("\e"u8);
        e.UserInput("O"u8);
        e.UserInput("C"u8);
        Assert.That(e.Answers(), Is.EqualTo("\e[C"));
    }

    [Test]
    public void DoubleEscapeDoesNotArmTheTranslation()
    {
        var e = EmulatorTesting.New();
        e.UserInput("\e\eOA"u8);
        Assert.That(e.Answers(), Is.EqualTo("\e\eOA"));
    }

    [Test]
    public void PlainKeystrokesPassThrough()
    {
        var e = EmulatorTesting.New();
        e.UserInput("ls -l\r"u8);
        Assert.That(e.Answers(), Is.EqualTo("ls -l\r"));
    }
}
