namespace Mosh.EndToEnd.Wrapper;

/// <summary>mosh-server and mosh-client command-line handling through the published binaries.</summary>
public class ExecutableCommandLineTests
{
    [Test]
    public void Server_refuses_a_bad_port_range_with_status_1()
    {
        PublishedBinaries.Require("mosh-server");
        var r = PublishedBinaries.Run(PublishedBinaries.PathOf("mosh-server"), ["new", "-p", "9:5"]);
        Assert.That(r.ExitCode, Is.EqualTo(1));
        Assert.That(r.StandardError, Does.StartWith("Low port 9 greater than high port 5\n"));
        Assert.That(r.StandardError, Does.Contain(": Bad UDP port range (9:5)\nUsage: "));
    }

    [Test]
    public void Server_help_and_version_go_to_stdout()
    {
        PublishedBinaries.Require("mosh-server");
        var help = PublishedBinaries.Run(PublishedBinaries.PathOf("mosh-server"), ["new", "-h"]);
        Assert.That((help.ExitCode, help.StandardError), Is.EqualTo((0, "")));
        Assert.That(help.StandardOutput, Does.Contain("new [-s] [-v] [-i LOCALADDR] [-p PORT[:PORT2]] [-c COLORS] [-l NAME=VALUE] [-- COMMAND...]"));
        var version = PublishedBinaries.Run(PublishedBinaries.PathOf("mosh-server"), ["--version"]);
        Assert.That(version.StandardOutput, Does.StartWith("mosh-server (Mosh for .NET) " + File.ReadAllText(RepositoryFile("VERSION")).Trim() + "\n"));
    }

    [Test]
    public void Client_without_MOSH_KEY_says_so_and_exits_1()
    {
        PublishedBinaries.Require("mosh-client");
        var r = PublishedBinaries.Run(PublishedBinaries.PathOf("mosh-client"), ["127.0.0.1", "60001"], new Dictionary<string, string?> { ["MOSH_KEY"] = null });
        Assert.That(r.ExitCode, Is.EqualTo(1));
        Assert.That(r.StandardError, Is.EqualTo("MOSH_KEY environment variable not found.\n"));
    }

    [Test]
    public void Client_refuses_a_port_that_is_not_all_digits()
    {
        PublishedBinaries.Require("mosh-client");
        var r = PublishedBinaries.Run(PublishedBinaries.PathOf("mosh-client"), ["127.0.0.1", "6000x"], new Dictionary<string, string?> { ["MOSH_KEY"] = "AAAAAAAAAAAAAAAAAAAAAA" });
        Assert.That(r.ExitCode, Is.EqualTo(1));
        Assert.That(r.StandardError, Does.Contain(": Bad UDP port (6000x)\n\n"));
    }

    [Test]
    public void Client_colour_count_without_TERM_fails_like_upstream()
    {
        PublishedBinaries.Require("mosh-client");
        var r = PublishedBinaries.Run(PublishedBinaries.PathOf("mosh-client"), ["-c"], new Dictionary<string, string?> { ["TERM"] = null });
        Assert.That(r.ExitCode, Is.EqualTo(1));
        Assert.That(r.StandardError, Is.EqualTo("TERM environment variable not set.\n"));
    }

    /// <summary>A file at the top of the repository (found by walking up from the test directory).</summary>
    internal static string RepositoryFile(string name)
    {
        for (var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, name)) && File.Exists(Path.Combine(dir.FullName, "mosh.sln")))
            {
                return Path.Combine(dir.FullName, name);
            }
        }
        throw new FileNotFoundException(name);
    }
}
