using Mosh.Util;

namespace Mosh.Tests.Util;

[TestFixture]
public class SignalsTests
{
    [Test]
    public void Send_SignalZeroToLiveAndReapedChild_TellsWhetherItExists()
    {
        var child = ChildProcess.Start("/bin/sleep", ["sleep", "30"], PtyTestHelpers.MinimalEnvironment);

        Assert.That(Signals.Send(child.Id, 0), Is.True);
        Assert.That(Signals.Send(child.Id, Signals.SIGKILL), Is.True);
        Assert.That(child.WaitForExit().Signal, Is.EqualTo(Signals.SIGKILL));
        Assert.That(Signals.Send(child.Id, 0), Is.False);
    }

    [Test]
    public void Ignore_InvalidSignal_Throws()
    {
        Assert.Throws<IOException>(() => Signals.Ignore(Signals.SIGKILL));
    }
}
