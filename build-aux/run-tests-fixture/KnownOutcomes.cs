using NUnit.Framework;

namespace RunTestsFixture;

/// <summary>One test per outcome run-tests.sh must tell apart; the self-test selects them by category.</summary>
[TestFixture]
public class KnownOutcomes
{
    /// <summary>Passes only under run-tests.sh's strict skip policy (tests/Shared/Prerequisite.cs).</summary>
    [Test, Category("Mixed"), Category("Pass")]
    public void Passes() => Assert.That(Environment.GetEnvironmentVariable("MOSH_TESTS_STRICT"), Is.EqualTo("1"));

    [Test, Category("Mixed")]
    public void IsIgnored() => Assert.Ignore("fixture reason: ignored on purpose");

    [Test, Category("Mixed")]
    public void IsInconclusive() => Assert.Inconclusive("fixture reason: inconclusive on purpose");

    [Test, Category("Fail")]
    public void Fails() => Assert.Fail("fixture failure on purpose\nsecond line of the message\n\nlast screen line");

    [Test, Category("Hang")]
    public void Hangs() => Thread.Sleep(Timeout.Infinite);
}
