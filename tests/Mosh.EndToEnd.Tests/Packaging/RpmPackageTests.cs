using Mosh.EndToEnd.Wrapper;

namespace Mosh.EndToEnd.Packaging;

/// <summary>The RPM packages `make rpm` builds from the prebuilt executables.</summary>
public class RpmPackageTests
{
    private static string Rpm(string package) =>
        Path.Combine(Tool.RepositoryRoot, "build", "packages", $"{package}-{Tool.Version}-1.x86_64.rpm");

    [OneTimeSetUp]
    public void BuildPackages()
    {
        PublishedBinaries.Require("mosh-server");
        Tool.Make("rpm").Succeeded("make rpm");
    }

    private static string[] Query(string rpm, string what) =>
        Tool.Run("rpm", "-qp", what, rpm).Succeeded("rpm -qp").StandardOutput
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    [Test]
    public void Split_matches_the_debian_packages()
    {
        Assert.That(Query(Rpm("mosh-server"), "-l"), Is.EqualTo(new[] { "/usr/bin/mosh-server", "/usr/share/man/man1/mosh-server.1" }));
        Assert.That(Query(Rpm("mosh-client"), "-l"), Is.EqualTo(new[]
        {
            "/usr/bin/mosh", "/usr/bin/mosh-client", "/usr/share/bash-completion/completions/mosh",
            "/usr/share/man/man1/mosh-client.1", "/usr/share/man/man1/mosh.1",
        }));
        Assert.That(Query(Rpm("mosh"), "-l"), Is.EqualTo(new[] { "(contains no files)" }));
    }

    [Test]
    public void Requirements_and_version_come_out_right()
    {
        Assert.That(Query(Rpm("mosh"), "-R"), Does.Contain($"mosh-client = {Tool.Version}-1").And.Contain($"mosh-server = {Tool.Version}-1"));
        Assert.That(Query(Rpm("mosh-client"), "-R"), Does.Contain("openssh-clients"));
        Assert.That(Query(Rpm("mosh-server"), "-R"), Does.Not.Contain("openssh-clients"));
        Assert.That(Query(Rpm("mosh-server"), "--queryformat=%{VERSION}"), Is.EqualTo(new[] { Tool.Version }));
    }
}
