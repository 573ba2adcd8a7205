using NUnit.Framework;

namespace RunTestsFixture;

/// <summary>One test per outcome run-tests.sh must tell apart; the self-test selects them by category.</summary>
[TestFixture]
public class KnownOutcomes
{
    [Test, Category("Mixed"), Category("Pass")]
    public void Passes() => Assert.Pass();

    [Test, Category("Mixed")]
    public void IsIgnored() => Assert.Ignore("fixture reason: ignored on purpose");

    [Test, Category("Mixed")]
    public void IsInconclusive() => Assert.Inconclusive("fixture reason: inconclusive on purpose");

    [Test, Category("Fail")]
    public void Fails() => Assert.Fail("fixture failure on purpose");

    [Test, Category("Hang")]
    public void Hangs() => Thread.Sleep(Timeout.Infinite);
}
