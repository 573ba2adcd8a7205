namespace Mosh.EndToEnd.Packaging;

/// <summary>The Debian packages `make deb` builds: contents, relationships, lintian, and a scratch-root install.</summary>
public class DebPackageTests
{
    private static string Deb(string package, string arch = "amd64") =>
        Path.Combine(Tool.RepositoryRoot, "build", "packages", $"{package}_{Tool.Version}_{arch}.deb");

    private static string ServerDeb => Deb("mosh-server");
    private static string ClientDeb => Deb("mosh-client");
    private static string MetaDeb => Deb("mosh", "all");

    [OneTimeSetUp]
    public void BuildPackages()
    {
        // make publishes build/bin first only if it is missing.
        Tool.Make("deb").Succeeded("make deb");
    }

    private static string[] Contents(string deb) =>
        Tool.Run("dpkg-deb", "-c", deb).Succeeded("dpkg-deb -c").StandardOutput
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Where(line => !line.StartsWith('d'))
            .Select(line => line[line.IndexOf("./", StringComparison.Ordinal)..][1..])
            .Order(StringComparer.Ordinal)
            .ToArray();

    private static string Field(string deb, string field) =>
        Tool.Run("dpkg-deb", "-f", deb, field).Succeeded("dpkg-deb -f").StandardOutput.Trim();

    [Test]
    public void Server_package_holds_only_the_server()
    {
        Assert.That(Contents(ServerDeb), Is.EqualTo(new[]
        {
            "/etc/ufw/applications.d/mosh",
            "/usr/bin/mosh-server",
            "/usr/share/doc/mosh-server/changelog.gz",
            "/usr/share/doc/mosh-server/copyright",
            "/usr/share/lintian/overrides/mosh-server",
            "/usr/share/man/man1/mosh-server.1.gz",
        }));
    }

    [Test]
    public void Client_package_holds_the_client_the_wrapper_and_the_completion()
    {
        Assert.That(Contents(ClientDeb), Is.EqualTo(new[]
        {
            "/usr/bin/mosh",
            "/usr/bin/mosh-client",
            "/usr/share/bash-completion/completions/mosh",
            "/usr/share/doc/mosh-client/changelog.gz",
            "/usr/share/doc/mosh-client/copyright",
            "/usr/share/lintian/overrides/mosh-client",
            "/usr/share/man/man1/mosh-client.1.gz",
            "/usr/share/man/man1/mosh.1.gz",
        }));
    }

    [Test]
    public void Metapackage_holds_only_its_documentation()
    {
        Assert.That(Contents(MetaDeb), Is.EqualTo(new[] { "/usr/share/doc/mosh/changelog.gz", "/usr/share/doc/mosh/copyright" }));
    }

    [Test]
    public void Relationships_and_versions_are_right()
    {
        Assert.Multiple(() =>
        {
            foreach (string deb in new[] { ServerDeb, ClientDeb, MetaDeb })
            {
                Assert.That(Field(deb, "Version"), Is.EqualTo(Tool.Version), deb);
            }
            Assert.That(Field(ServerDeb, "Depends"), Does.StartWith("libc6 (>= ").And.Not.Contain("openssh"));
            Assert.That(Field(ClientDeb, "Depends"), Does.StartWith("libc6 (>= ").And.Contain("openssh-client"));
            Assert.That(Field(MetaDeb, "Depends"), Is.EqualTo($"mosh-client (>= {Tool.Version}), mosh-server (>= {Tool.Version})"));
            Assert.That(Field(MetaDeb, "Architecture"), Is.EqualTo("all"));
            // Debian's own mosh ships the same /usr/bin files.
            Assert.That(Field(ServerDeb, "Conflicts"), Is.EqualTo("mosh (>= 1.0~)"));
            // utmp entries come from libutempter, loaded at run time when present.
            Assert.That(Field(ServerDeb, "Recommends"), Is.EqualTo("libutempter0"));
            Assert.That(Field(ClientDeb, "Replaces"), Is.EqualTo("mosh (>= 1.0~)"));
        });
    }

    [Test]
    public void Lintian_reports_no_errors_or_warnings()
    {
        var lintian = Tool.Run("lintian", "--no-cfg", "--fail-on", "error,warning",
            ServerDeb, ClientDeb, MetaDeb);
        Assert.That(lintian.StandardOutput + lintian.StandardError, Does.Not.Match("(?m)^[EW]: "));
        Assert.That(lintian.ExitCode, Is.EqualTo(0), lintian.StandardOutput + lintian.StandardError);
    }

    [Test]
    public void Installing_into_a_scratch_root_and_purging_leaves_nothing_behind()
    {
        string root = Directory.CreateTempSubdirectory("mosh-dpkg-root-").FullName;
        try
        {
            string admin = Path.Combine(root, "var/lib/dpkg");
            foreach (string dir in new[] { "info", "updates", "triggers" })
            {
                Directory.CreateDirectory(Path.Combine(admin, dir));
            }
            File.WriteAllText(Path.Combine(admin, "status"), "");
            File.WriteAllText(Path.Combine(admin, "available"), "");

            // libc6 and openssh-client live on the real system, not in the scratch root.
            Tool.Run("dpkg", $"--root={root}", "--log=/dev/null", "--force-depends", "-i", ServerDeb, ClientDeb, MetaDeb)
                .Succeeded("dpkg -i");
            string[] installed = Tool.FilesUnder(root).Where(f => !f.StartsWith("var/lib/dpkg", StringComparison.Ordinal)).ToArray();
            Assert.That(installed, Does.Contain("usr/bin/mosh").And.Contain("usr/bin/mosh-client").And.Contain("usr/bin/mosh-server"));
            Assert.That(installed, Has.Length.EqualTo(16)); // 3 programs, 3 man pages, completion, ufw profile, 2 lintian overrides, 6 docs
            Assert.That(Tool.Run("dpkg", $"--root={root}", "-s", "mosh").StandardOutput, Does.Contain("Status: install ok installed"));

            Tool.Run("dpkg", $"--root={root}", "--log=/dev/null", "--purge", "mosh", "mosh-client", "mosh-server").Succeeded("dpkg --purge");
            Assert.That(Tool.FilesUnder(root).Where(f => !f.StartsWith("var/lib/dpkg", StringComparison.Ordinal)), Is.Empty);
            Assert.That(Directory.Exists(Path.Combine(root, "usr")), Is.False, "package directories are removed too");
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Test]
    public void Server_package_ships_the_ufw_profile_as_a_conffile_that_ufw_reads()
    {
        string dir = Directory.CreateTempSubdirectory("mosh-deb-ufw-").FullName;
        try
        {
            Tool.Run("dpkg-deb", "-e", ServerDeb, Path.Combine(dir, "DEBIAN")).Succeeded("dpkg-deb -e");
            Assert.That(File.ReadAllText(Path.Combine(dir, "DEBIAN", "conffiles")), Is.EqualTo("/etc/ufw/applications.d/mosh\n"));
            Tool.Run("dpkg-deb", "-x", ServerDeb, Path.Combine(dir, "root")).Succeeded("dpkg-deb -x");
            string info = Ufw.AppInfo(Path.Combine(dir, "root", "etc/ufw/applications.d/mosh"));
            Assert.That(info, Does.Contain("Profile: mosh").And.Contain("60000:61000/udp"));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Test]
    public void Server_from_the_server_only_package_runs()
    {
        string dir = Directory.CreateTempSubdirectory("mosh-deb-extract-").FullName;
        try
        {
            Tool.Run("dpkg-deb", "-x", ServerDeb, dir).Succeeded("dpkg-deb -x");
            var version = Tool.Run(Path.Combine(dir, "usr/bin/mosh-server"), "--version").Succeeded("mosh-server --version");
            Assert.That(version.StandardOutput, Does.StartWith($"mosh-server (Mosh for .NET) {Tool.Version}\n"));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
