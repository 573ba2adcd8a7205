using System.Buffers.Binary;
using System.Text;
using Mosh.EndToEnd.Harness;

namespace Mosh.EndToEnd.Session;

/// <summary>One record of the utmp file, as the tests read it.</summary>
internal sealed record UtmpRecord(int Type, int Pid, string Line, string User, string Host, long WrittenMicroseconds)
{
    public bool IsUserProcess => Type == UtmpFile.UserProcess;
}

/// <summary>
/// The system's utmp file (/run/utmp), read record by record from its glibc x86-64 layout (384-byte records), an
/// oracle independent of the server's getutxent. Tests run as root; where no init system made the file (a bare
/// container), <see cref="EnsureExists"/> creates it as systemd-tmpfiles would (root:utmp, 0664), since
/// libutempter's helper only writes an existing file.
/// </summary>
internal static class UtmpFile
{
    public const string Path = "/run/utmp";
    public const int UserProcess = 7;
    public const int DeadProcess = 8;

    private const int RecordSize = 384;
    private const int PidOffset = 4, LineOffset = 8, LineSize = 32, UserOffset = 44, UserSize = 32, HostOffset = 76, HostSize = 256;
    private const int SecondsOffset = 340, MicrosecondsOffset = 344;

    /// <summary>True when libutempter and its helper are installed (Debian's libutempter0).</summary>
    public static bool UtempterInstalled =>
        File.Exists("/usr/lib/x86_64-linux-gnu/libutempter.so.0") && File.Exists("/usr/lib/x86_64-linux-gnu/utempter/utempter");

    /// <summary>Creates the file when missing; true if this call created it.</summary>
    public static bool EnsureExists()
    {
        if (File.Exists(Path))
        {
            return false;
        }
        ProcessResult install = ProcessRunner.RunAsync(
            new ProcessSpec("install", ["-m", "664", "-g", "utmp", "/dev/null", Path]), TimeSpan.FromSeconds(10)).GetAwaiter().GetResult();
        Assert.That(install.ExitCode, Is.Zero, install.ToString);
        return true;
    }

    public static List<UtmpRecord> ReadAll()
    {
        byte[] bytes = File.ReadAllBytes(Path);
        var records = new List<UtmpRecord>();
        for (int at = 0; at + RecordSize <= bytes.Length; at += RecordSize)
        {
            ReadOnlySpan<byte> r = bytes.AsSpan(at, RecordSize);
            records.Add(new UtmpRecord(
                BinaryPrimitives.ReadInt16LittleEndian(r),
                BinaryPrimitives.ReadInt32LittleEndian(r[PidOffset..]),
                Text(r.Slice(LineOffset, LineSize)),
                Text(r.Slice(UserOffset, UserSize)),
                Text(r.Slice(HostOffset, HostSize)),
                BinaryPrimitives.ReadInt32LittleEndian(r[SecondsOffset..]) * 1_000_000L + BinaryPrimitives.ReadInt32LittleEndian(r[MicrosecondsOffset..])));
        }
        return records;
    }

    /// <summary>The live (USER_PROCESS) record of process <paramref name="pid"/>, or null.</summary>
    public static UtmpRecord? LiveRecordOf(int pid) =>
        ReadAll().LastOrDefault(r => r.IsUserProcess && r.Pid == pid);

    /// <summary>Everything in the file, for failure messages.</summary>
    public static string Describe() =>
        string.Join('\n', ReadAll().Select(r => $"type {r.Type} pid {r.Pid} line '{r.Line}' user '{r.User}' host '{r.Host}'"));

    private static string Text(ReadOnlySpan<byte> field)
    {
        int end = field.IndexOf((byte)0);
        return Encoding.UTF8.GetString(end < 0 ? field : field[..end]);
    }
}
