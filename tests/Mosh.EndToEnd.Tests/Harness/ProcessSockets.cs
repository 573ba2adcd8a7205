using System.Globalization;
using System.Runtime.InteropServices;
using Mosh.Util;

namespace Mosh.EndToEnd.Harness;

/// <summary>
/// Reaches into another process's sockets (root only): <c>pidfd_getfd</c> duplicates a descriptor of the running
/// process, and a socket option set on the duplicate applies to the process's own socket, since both share one
/// open socket. This lets a test change the kernel's behaviour under an unmodified executable.
/// </summary>
internal static unsafe partial class ProcessSockets
{
    private const int SOL_SOCKET = 1;
    private const int SO_TYPE = 3;
    private const int SO_DOMAIN = 39;
    private const int AF_INET = 2;
    private const int SOCK_DGRAM = 2;
    private const int IPPROTO_IP = 0;
    private const int IP_MTU_DISCOVER = 10;

    /// <summary>IP_PMTUDISC_DO: the DF bit is set and a datagram larger than the path MTU fails with EMSGSIZE
    /// instead of being fragmented.</summary>
    public const int IP_PMTUDISC_DO = 2;

    /// <summary>Sets IP_MTU_DISCOVER to <paramref name="value"/> on every IPv4 UDP socket of process
    /// <paramref name="pid"/> and returns how many it changed (each read back to confirm).</summary>
    public static int SetMtuDiscovery(int pid, int value)
    {
        int pidfd = pidfd_open(pid, 0);
        if (pidfd < 0)
        {
            throw Failure($"pidfd_open({pid})");
        }
        int changed = 0;
        try
        {
            foreach (string entry in Directory.GetFiles($"/proc/{pid}/fd"))
            {
                if (new FileInfo(entry).LinkTarget?.StartsWith("socket:", StringComparison.Ordinal) != true)
                {
                    continue;
                }
                int fd = pidfd_getfd(pidfd, int.Parse(Path.GetFileName(entry), CultureInfo.InvariantCulture), 0);
                if (fd < 0)
                {
                    throw Failure($"pidfd_getfd({pid}, {entry})");
                }
                try
                {
                    if (GetInt(fd, SOL_SOCKET, SO_DOMAIN) != AF_INET || GetInt(fd, SOL_SOCKET, SO_TYPE) != SOCK_DGRAM)
                    {
                        continue;
                    }
                    if (setsockopt(fd, IPPROTO_IP, IP_MTU_DISCOVER, &value, sizeof(int)) != 0)
                    {
                        throw Failure("setsockopt(IP_MTU_DISCOVER)");
                    }
                    int readBack = GetInt(fd, IPPROTO_IP, IP_MTU_DISCOVER);
                    if (readBack != value)
                    {
                        throw new InvalidOperationException($"IP_MTU_DISCOVER reads {readBack} after setting {value}");
                    }
                    changed++;
                }
                finally
                {
                    _ = LibC.Close(fd);
                }
            }
        }
        finally
        {
            _ = LibC.Close(pidfd);
        }
        return changed;
    }

    private static int GetInt(int fd, int level, int name)
    {
        int value = 0;
        uint length = sizeof(int);
        return getsockopt(fd, level, name, &value, &length) == 0 ? value : throw Failure($"getsockopt({level}, {name})");
    }

    private static InvalidOperationException Failure(string call) =>
        new($"{call} failed: errno {Marshal.GetLastPInvokeError()}");

    [LibraryImport("libc", SetLastError = true)]
    private static partial int pidfd_open(int pid, uint flags);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int pidfd_getfd(int pidfd, int targetfd, uint flags);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int setsockopt(int fd, int level, int name, void* value, uint length);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int getsockopt(int fd, int level, int name, void* value, uint* length);
}
