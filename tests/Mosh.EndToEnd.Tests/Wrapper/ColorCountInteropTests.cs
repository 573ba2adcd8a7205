namespace Mosh.EndToEnd.Wrapper;

/// <summary><c>mosh-client -c</c> answers exactly as upstream's does, terminal type by terminal type.</summary>
public class ColorCountInteropTests
{
    private const string UpstreamClient = "/usr/bin/mosh-client";

    [TestCase("xterm-256color")]
    [TestCase("xterm")]
    [TestCase("screen-256color")]
    [TestCase("xterm-direct")]
    [TestCase("linux")]
    [TestCase("vt100")]
    [TestCase("dumb")]
    [TestCase("no-such-terminal")]
    public void Colour_count_matches_upstream(string term)
    {
        PublishedBinaries.Require("mosh-client");
        if (!File.Exists(UpstreamClient))
        {
            Assert.Fail("upstream mosh-client (Debian's mosh package) is needed for this comparison");
        }
        var env = new Dictionary<string, string?> { ["TERM"] = term, ["TERMINFO"] = null, ["TERMINFO_DIRS"] = null };
        var ours = PublishedBinaries.Run(PublishedBinaries.PathOf("mosh-client"), ["-c"], env);
        var theirs = PublishedBinaries.Run(UpstreamClient, ["-c"], env);
        Assert.That((ours.ExitCode, ours.StandardOutput), Is.EqualTo((theirs.ExitCode, theirs.StandardOutput)));
        Assert.That(ours.StandardError.Trim(), Is.EqualTo(theirs.StandardError.Trim()));
    }
}
