using System.Runtime.InteropServices;

namespace Mosh.EndToEnd.Harness;

/// <summary>
/// Our linux-arm64 executables (cross-built by <c>make check</c> into build/linux-arm64/bin, or $MOSH_ARM64_BIN_DIR)
/// run on this x86-64 machine through qemu-user registered with binfmt_misc. Tests that need them are skipped with
/// the reason when they are not built or cannot run here, never counted as passed.
/// </summary>
internal static class Arm64Programs
{
    public const string BinDirVariable = "MOSH_ARM64_BIN_DIR";
    private const string BinfmtEntry = "/proc/sys/fs/binfmt_misc/qemu-aarch64";

    /// <summary>ELF e_machine of aarch64.</summary>
    public const ushort ElfMachineAarch64 = 183;

    /// <summary>The directory holding (or meant to hold) the arm64 executables.</summary>
    public static string Directory
    {
        get
        {
            string? fromEnvironment = Environment.GetEnvironmentVariable(BinDirVariable);
            if (!string.IsNullOrEmpty(fromEnvironment))
            {
                return fromEnvironment;
            }

            for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "mosh.sln")))
                {
                    return Path.Combine(dir.FullName, "build", "linux-arm64", "bin");
                }
            }

            return Path.Combine("build", "linux-arm64", "bin");
        }
    }

    /// <summary>True when the arm64 executables exist (whether or not this machine can run them).</summary>
    public static bool Built => File.Exists(Path.Combine(Directory, "mosh-server"))
        && File.Exists(Path.Combine(Directory, "mosh-client")) && File.Exists(Path.Combine(Directory, "mosh"));

    /// <summary>The arm64 programs, or the test is ignored with the reason they cannot run here.</summary>
    public static MoshPrograms RequireRunnable()
    {
        if (RuntimeInformation.ProcessArchitecture != Architecture.X64)
        {
            Assert.Ignore("the cross-architecture sessions pair arm64 with x86-64 and run on an x86-64 machine");
        }

        if (!Built)
        {
            Assert.Ignore($"the arm64 executables are not built in {Directory} (make check builds them on x86-64 once "
                + "./configure.sh has installed the arm64 cross toolchain as root)");
        }

        string state = File.Exists(BinfmtEntry) ? File.ReadLines(BinfmtEntry).FirstOrDefault() ?? "" : "missing";
        if (state != "enabled")
        {
            Assert.Ignore($"aarch64 executables cannot run here: qemu-aarch64 in binfmt_misc is {state} (as root: mount "
                + "-t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc; update-binfmts --enable qemu-aarch64)");
        }

        return MoshPrograms.In(Directory) with { Name = "arm64" };
    }

    /// <summary>The ELF machine field of an executable.</summary>
    public static ushort ElfMachine(string path)
    {
        Span<byte> header = stackalloc byte[20];
        using FileStream file = File.OpenRead(path);
        file.ReadExactly(header);
        Assert.That(header[..4].ToArray(), Is.EqualTo("\u007fELF"u8.ToArray()), $"{path} is not an ELF file");
        return BitConverter.ToUInt16(header[18..]);
    }

    /// <summary>Whether a running process is executed by qemu-user (its /proc/PID/exe is the emulator).</summary>
    public static bool RunsUnderQemu(int pid)
    {
        string? exe = new FileInfo($"/proc/{pid}/exe").LinkTarget;
        return exe is not null && exe.Contains("qemu", StringComparison.Ordinal);
    }
}
