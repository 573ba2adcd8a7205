namespace Mosh.Tests.Util;

/// <summary>
/// Whether this machine runs executables of another architecture transparently: qemu-user registered with the
/// kernel's binfmt_misc (./configure.sh sets that up as root). Tests that need it are skipped with the reason,
/// never counted as passed.
/// </summary>
internal static class Qemu
{
    private const string BinfmtDirectory = "/proc/sys/fs/binfmt_misc";

    /// <summary>True when an ELF for <paramref name="triple"/> (e.g. aarch64-linux-gnu) can be exec'd here.</summary>
    public static bool CanRun(string triple) => WhyNot(triple) is null;

    /// <summary>Null if it can run, else the reason in words.</summary>
    public static string? WhyNot(string triple)
    {
        string machine = triple.Split('-')[0];
        string entry = Path.Combine(BinfmtDirectory, "qemu-" + machine);
        if (!File.Exists(Path.Combine(BinfmtDirectory, "status")))
        {
            return $"binfmt_misc is not mounted at {BinfmtDirectory}: {machine} executables cannot run here "
                + "(as root: mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc; ./configure.sh does it)";
        }

        if (!File.Exists(entry))
        {
            return $"qemu-{machine} is not registered with binfmt_misc (install qemu-user-static and binfmt-support, "
                + $"then update-binfmts --enable qemu-{machine}; ./configure.sh does it as root)";
        }

        string state = File.ReadLines(entry).FirstOrDefault() ?? string.Empty;
        return state == "enabled" ? null : $"qemu-{machine} is registered with binfmt_misc but {state}";
    }
}
