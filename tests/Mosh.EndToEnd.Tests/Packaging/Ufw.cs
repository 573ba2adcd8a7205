namespace Mosh.EndToEnd.Packaging;

/// <summary>
/// Asks the real ufw what it makes of an application profile, in a scratch root (ufw's --rootdir/--datadir) that
/// holds a copy of this machine's ufw configuration and only the given profile, so Debian's own mosh profile, if
/// installed, cannot answer for ours.
/// </summary>
internal static class Ufw
{
    public static string AppInfo(string profile)
    {
        if (!File.Exists("/usr/sbin/ufw") || !File.Exists("/etc/ufw/ufw.conf"))
        {
            Assert.Ignore("ufw is not installed (./configure.sh installs it as root); the profile was not checked");
        }

        string root = Directory.CreateTempSubdirectory("mosh-ufw-root-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(root, "etc/ufw/applications.d"));
            Directory.CreateDirectory(Path.Combine(root, "etc/default"));
            foreach (string file in Directory.GetFiles("/etc/ufw"))
            {
                File.Copy(file, Path.Combine(root, "etc/ufw", Path.GetFileName(file)));
            }

            File.Copy("/etc/default/ufw", Path.Combine(root, "etc/default/ufw"));
            // ufw checks its init script under the root directory too.
            foreach (string file in Directory.GetFiles("/lib/ufw"))
            {
                Directory.CreateDirectory(Path.Combine(root, "lib/ufw"));
                File.Copy(file, Path.Combine(root, "lib/ufw", Path.GetFileName(file)));
            }

            File.Copy(profile, Path.Combine(root, "etc/ufw/applications.d", Path.GetFileName(profile)));
            var result = Tool.Run("ufw", $"--rootdir={root}", $"--datadir={root}", "app", "info", "mosh");
            Assert.That(result.ExitCode, Is.Zero, $"ufw app info mosh:\n{result.StandardOutput}\n{result.StandardError}");
            return result.StandardOutput;
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
