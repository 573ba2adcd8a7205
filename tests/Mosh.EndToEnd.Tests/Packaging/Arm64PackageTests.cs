using Mosh.EndToEnd.Harness;

namespace Mosh.EndToEnd.Packaging;

/// <summary>
/// The arm64 packages `make deb RID=linux-arm64` and `make rpm RID=linux-arm64` build from the cross-built executables
/// (build/linux-arm64/bin): architecture fields, the same server-only split, aarch64 executables that need only the C
/// library, and ufw's profile. Building and inspecting them needs no emulation.
/// </summary>
public class Arm64PackageTests
{
    private static string Deb(string package, string arch = "arm64") =>
        Path.Combine(Tool.RepositoryRoot, "build", "packages", $"{package}_{Tool.Version}_{arch}.deb");

    private static string Rpm(string package) =>
        Path.Combine(Tool.RepositoryRoot, "build", "packages", $"{package}-{Tool.Version}-1.aarch64.rpm");

    /// <summary>What the aarch64 executables may link: glibc's C and maths libraries and its dynamic loader.</summary>
    private static readonly string[] AllowedLibraries = ["libc.so.6", "libm.so.6", "ld-linux-aarch64.so.1"];

    [OneTimeSetUp]
    public void BuildPackages()
    {
        if (!Arm64Programs.Built)
        {
            Assert.Ignore($"the arm64 executables are not built in {Arm64Programs.Directory} (make check builds them on "
                + "x86-64 once ./configure.sh has installed the arm64 cross toolchain as root)");
        }

        string bin = Arm64Programs.Directory;
        Tool.Run("make", "--no-print-directory", "RID=linux-arm64", $"BIN={bin}", "deb").Succeeded("make deb RID=linux-arm64");
        Tool.Run("make", "--no-print-directory", "RID=linux-arm64", $"BIN={bin}", "rpm").Succeeded("make rpm RID=linux-arm64");
    }

    [Test]
    public void Debs_say_architecture_arm64_and_the_metapackage_all()
    {
        Assert.Multiple(() =>
        {
            foreach (string deb in new[] { Deb("mosh-server"), Deb("mosh-client") })
            {
                string info = Tool.Run("dpkg-deb", "-I", deb).Succeeded("dpkg-deb -I").StandardOutput;
                Assert.That(info, Does.Contain("\n Architecture: arm64\n"), deb);
            }

            Assert.That(Tool.Run("dpkg-deb", "-f", Deb("mosh", "all"), "Architecture").StandardOutput.Trim(), Is.EqualTo("all"));
        });
    }

    [Test]
    public void Extracted_debs_hold_aarch64_executables_that_need_only_libc_and_libm()
    {
        string root = Directory.CreateTempSubdirectory("mosh-arm64-root-").FullName;
        try
        {
            foreach (string deb in new[] { Deb("mosh-server"), Deb("mosh-client"), Deb("mosh", "all") })
            {
                Tool.Run("dpkg-deb", "-x", deb, root).Succeeded("dpkg-deb -x");
            }

            Assert.Multiple(() =>
            {
                foreach (string program in new[] { "mosh", "mosh-client", "mosh-server" })
                {
                    string path = Path.Combine(root, "usr/bin", program);
                    Assert.That(Arm64Programs.ElfMachine(path), Is.EqualTo(Arm64Programs.ElfMachineAarch64), program);
                    string[] needed = Tool.Run("readelf", "-d", path).Succeeded("readelf -d").StandardOutput
                        .Split('\n')
                        .Where(line => line.Contains("(NEEDED)", StringComparison.Ordinal))
                        .Select(line => line[(line.IndexOf('[', StringComparison.Ordinal) + 1)..line.IndexOf(']', StringComparison.Ordinal)])
                        .ToArray();
                    Assert.That(needed, Does.Contain("libc.so.6"), program);
                    Assert.That(needed, Is.SubsetOf(AllowedLibraries), $"{program} needs {string.Join(", ", needed)}");
                }
            });
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Test]
    public void Server_deb_is_server_only_and_its_ufw_profile_is_a_conffile_ufw_reads()
    {
        string dir = Directory.CreateTempSubdirectory("mosh-arm64-server-").FullName;
        try
        {
            Tool.Run("dpkg-deb", "-x", Deb("mosh-server"), Path.Combine(dir, "root")).Succeeded("dpkg-deb -x");
            Tool.Run("dpkg-deb", "-e", Deb("mosh-server"), Path.Combine(dir, "DEBIAN")).Succeeded("dpkg-deb -e");
            string[] files = Tool.FilesUnder(Path.Combine(dir, "root"))
                .Where(f => !Directory.Exists(Path.Combine(dir, "root", f))).ToArray();
            Assert.That(files, Does.Contain("usr/bin/mosh-server").And.Contain("etc/ufw/applications.d/mosh"));
            Assert.That(files, Does.Not.Contain("usr/bin/mosh-client").And.Not.Contain("usr/bin/mosh"));
            Assert.That(File.ReadAllText(Path.Combine(dir, "DEBIAN", "conffiles")), Is.EqualTo("/etc/ufw/applications.d/mosh\n"));
            string info = Ufw.AppInfo(Path.Combine(dir, "root", "etc/ufw/applications.d/mosh"));
            Assert.That(info, Does.Contain("Profile: mosh").And.Contain("60000:61000/udp"));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Test]
    public void Rpms_are_aarch64_with_the_same_split()
    {
        static string[] Query(string rpm, params string[] what) =>
            Tool.Run("rpm", ["-qp", .. what, rpm]).Succeeded("rpm -qp").StandardOutput
                .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

        Assert.Multiple(() =>
        {
            Assert.That(Query(Rpm("mosh-server"), "--queryformat=%{ARCH}"), Is.EqualTo(new[] { "aarch64" }));
            Assert.That(Query(Rpm("mosh-client"), "--queryformat=%{ARCH}"), Is.EqualTo(new[] { "aarch64" }));
            Assert.That(Query(Rpm("mosh-server"), "-l"), Does.Contain("/usr/bin/mosh-server")
                .And.Contain("/etc/ufw/applications.d/mosh").And.Not.Contain("/usr/bin/mosh-client"));
            Assert.That(Query(Rpm("mosh-server"), "-c"), Is.EqualTo(new[] { "/etc/ufw/applications.d/mosh" }));
            Assert.That(Query(Rpm("mosh-client"), "-l"), Does.Contain("/usr/bin/mosh").And.Contain("/usr/bin/mosh-client"));
        });
    }
}
