namespace Mosh.EndToEnd.Packaging;

/// <summary>The RPM packages `make rpm` builds from the prebuilt executables.</summary>
public class RpmPackageTests
{
    private static string Rpm(string package) =>
        Path.Combine(Tool.RepositoryRoot, "build", "packages", $"{package}-{Tool.Version}-1.x86_64.rpm");

    [OneTimeSetUp]
    public void BuildPackages()
    {
        // make publishes build/bin first only if it is missing.
        Tool.Make("rpm").Succeeded("make rpm");
    }

    private static string[] Query(string rpm, string what) =>
        Tool.Run("rpm", "-qp", what, rpm).Succeeded("rpm -qp").StandardOutput
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    [Test]
    public void Split_matches_the_debian_packages()
    {
        Assert.That(Query(Rpm("mosh-server"), "-l"), Is.EqualTo(new[]
        {
            "/etc/ufw", "/etc/ufw/applications.d", "/etc/ufw/applications.d/mosh",
            "/usr/bin/mosh-server", "/usr/share/man/man1/mosh-server.1",
        }));
        // ufw's profile is configuration: an administrator's edits survive upgrades.
        Assert.That(Query(Rpm("mosh-server"), "-c"), Is.EqualTo(new[] { "/etc/ufw/applications.d/mosh" }));
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
        Assert.That(Query(Rpm("mosh-server"), "--recommends"), Is.EqualTo(new[] { "libutempter" }));
        Assert.That(Query(Rpm("mosh-server"), "--queryformat=%{VERSION}"), Is.EqualTo(new[] { Tool.Version }));
    }

    [Test]
    public void Installing_into_a_scratch_root_and_erasing_leaves_no_file_behind()
    {
        string root = Directory.CreateTempSubdirectory("mosh-rpm-root-").FullName;
        try
        {
            Tool.Run("rpm", "--root", root, "--initdb").Succeeded("rpm --initdb");
            // The C library, OpenSSL and ssh live on the real system, not in the scratch root.
            Tool.Run("rpm", "--root", root, "-i", "--nodeps", Rpm("mosh-server"), Rpm("mosh-client"), Rpm("mosh")).Succeeded("rpm -i");
            Assert.That(Tool.FilesUnder(Path.Combine(root, "usr")), Has.Length.EqualTo(7));
            var version = Tool.Run(Path.Combine(root, "usr/bin/mosh-server"), "--version").Succeeded("mosh-server --version");
            Assert.That(version.StandardOutput, Does.Contain(Tool.Version));

            Tool.Run("rpm", "--root", root, "-e", "mosh", "mosh-client", "mosh-server").Succeeded("rpm -e");
            Assert.That(Tool.FilesUnder(Path.Combine(root, "usr")).Where(f => !Directory.Exists(Path.Combine(root, "usr", f))), Is.Empty);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
