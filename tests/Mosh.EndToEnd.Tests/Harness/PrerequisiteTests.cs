namespace Mosh.EndToEnd.Harness;

/// <summary>The skip policy every prerequisite check goes through (tests/Shared/Prerequisite.cs).</summary>
[TestFixture]
public class PrerequisiteTests
{
    [Test]
    public void MissingPrerequisite_UnderMakeCheck_FailsTheTestAndSaysWhatIsMissing()
    {
        var failure = Assert.Throws<AssertionException>(() => Prerequisite.Missing("our executables are not built", strict: true));
        Assert.That(failure!.Message, Does.Contain("our executables are not built"));
    }

    [Test]
    public void MissingPrerequisite_RunByHand_SkipsTheTestAndSaysWhatIsMissing()
    {
        var skip = Assert.Throws<IgnoreException>(() => Prerequisite.Missing("our executables are not built", strict: false));
        Assert.That(skip!.Message, Does.Contain("our executables are not built").And.Contain(Prerequisite.StrictVariable));
    }

    [Test]
    public void RequiredFiles_AllPresent_DoNotStopTheTest()
    {
        Assert.DoesNotThrow(() => Prerequisite.RequireFiles("a file that exists", typeof(PrerequisiteTests).Assembly.Location));
    }

    [Test]
    public void RequireUpstream_NamesDebiansMoshPrograms()
    {
        // Debian's mosh is installed by configure.sh, so under make check this must not fail.
        Assert.That(MoshPrograms.RequireUpstream().Server, Is.EqualTo("/usr/bin/mosh-server"));
    }
}
