namespace Mosh.EndToEnd.Session;

/// <summary>
/// What every utmp test class needs: libutempter installed (else the class is ignored), /run/utmp present for the
/// run (created if missing, and then removed afterwards), and the servers to hold to the same rules.
/// </summary>
public abstract class UtmpFixture
{
    private bool _createdUtmp;

    [OneTimeSetUp]
    public void NeedUtempter()
    {
        if (!UtmpFile.UtempterInstalled)
        {
            // Debian's mosh depends on libutempter0, so configure.sh installs it.
            Prerequisite.Missing("libutempter is not installed");
        }
        _createdUtmp = UtmpFile.EnsureExists();
    }

    [OneTimeTearDown]
    public void RemoveTheUtmpFileIfTheTestsMadeIt()
    {
        if (_createdUtmp)
        {
            File.Delete(UtmpFile.Path);
        }
    }
}
