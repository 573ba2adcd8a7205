namespace Mosh.EndToEnd.Packaging;

[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public class InstallTests
{
    private static readonly string[] ExpectedFiles =
    [
        "opt/mosh-test/bin/mosh",
        "opt/mosh-test/bin/mosh-client",
        "opt/mosh-test/bin/mosh-server",
        "opt/mosh-test/share/bash-completion/completions/mosh",
        "opt/mosh-test/share/man/man1/mosh-client.1",
        "opt/mosh-test/share/man/man1/mosh-server.1",
        "opt/mosh-test/share/man/man1/mosh.1",
    ];

    private string _destdir = "";

    [SetUp]
    public void CreateDestdir() => _destdir = Directory.CreateTempSubdirectory("mosh-install-test-").FullName;

    [TearDown]
    public void RemoveDestdir() => Directory.Delete(_destdir, recursive: true);

    [Test]
    public void Install_puts_exactly_the_executables_man_pages_and_completion_under_DESTDIR_and_PREFIX()
    {
        Tool.Make("install", $"DESTDIR={_destdir}", "PREFIX=/opt/mosh-test").Succeeded("make install");
        Assert.That(Tool.FilesUnder(_destdir), Is.EqualTo(ExpectedFiles));

        var mode = File.GetUnixFileMode(Path.Combine(_destdir, "opt/mosh-test/bin/mosh-server"));
        Assert.That(mode & UnixFileMode.OtherExecute, Is.EqualTo(UnixFileMode.OtherExecute));
        var manMode = File.GetUnixFileMode(Path.Combine(_destdir, "opt/mosh-test/share/man/man1/mosh.1"));
        Assert.That(manMode & (UnixFileMode.UserExecute | UnixFileMode.OtherWrite), Is.EqualTo((UnixFileMode)0));

        var version = Tool.Run(Path.Combine(_destdir, "opt/mosh-test/bin/mosh"), "--version").Succeeded("installed mosh --version");
        Assert.That(version.StandardOutput, Does.Contain(Tool.Version));
    }

    [Test]
    public void Uninstall_removes_every_installed_file_and_leaves_others_alone()
    {
        Tool.Make("install", $"DESTDIR={_destdir}", "PREFIX=/opt/mosh-test").Succeeded("make install");
        string unrelated = Path.Combine(_destdir, "opt/mosh-test/bin/other-tool");
        File.WriteAllText(unrelated, "keep me");

        Tool.Make("uninstall", $"DESTDIR={_destdir}", "PREFIX=/opt/mosh-test").Succeeded("make uninstall");
        Assert.That(Tool.FilesUnder(_destdir), Is.EqualTo(new[] { "opt/mosh-test/bin/other-tool" }));
    }

    [Test]
    public void Install_takes_PREFIX_from_the_config_written_by_configure()
    {
        // A copy of what install needs, with its own config.mk, so the developer's config.mk is left alone.
        string tree = Path.Combine(_destdir, "tree");
        Directory.CreateDirectory(Path.Combine(tree, "man"));
        Directory.CreateDirectory(Path.Combine(tree, "packaging", "bash-completion"));
        foreach (string file in new[] { "Makefile", "VERSION", "man/mosh.1", "man/mosh-client.1", "man/mosh-server.1", "packaging/bash-completion/mosh" })
        {
            File.Copy(Path.Combine(Tool.RepositoryRoot, file), Path.Combine(tree, file));
        }
        File.WriteAllText(Path.Combine(tree, "config.mk"), "PREFIX = /opt/from-configure\n");
        string stage = Path.Combine(_destdir, "stage");

        Tool.Run("make", "--no-print-directory", "-C", tree, "install", $"DESTDIR={stage}", $"BIN={Mosh.EndToEnd.Wrapper.PublishedBinaries.Directory}")
            .Succeeded("make install");
        Assert.That(Tool.FilesUnder(stage), Is.EqualTo(ExpectedFiles.Select(f => f.Replace("opt/mosh-test", "opt/from-configure", StringComparison.Ordinal))));
    }
}
