using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Mosh.Network;

/// <summary>Linux socket options and poll() that .NET's Socket API does not expose directly.</summary>
internal static unsafe partial class SocketNative
{
    private const int IPPROTO_IP = 0;
    private const int IP_TOS = 1;
    private const int IP_MTU_DISCOVER = 10;
    private const int IP_RECVTOS = 13;
    private const int IP_PMTUDISC_DONT = 0;

    /// <summary>ECN-capable transport, ECT(0); upstream notes it once used DSCP AF42 here.</summary>
    private const int ECT0 = 0x02;

    private const short POLLIN = 0x001;
    private const int MSG_DONTWAIT = 0x40;

    /// <summary>ECN field value meaning "congestion experienced".</summary>
    private const int EcnCongestionExperienced = 0x03;

    [StructLayout(LayoutKind.Sequential)]
    private struct IoVec
    {
        public byte* Base;
        public nuint Length;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct MsgHdr
    {
        public byte* Name;
        public uint NameLength;
        public IoVec* Iov;
        public nuint IovLength;
        public byte* Control;
        public nuint ControlLength;
        public int Flags;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct CmsgHdr
    {
        public nuint Length;
        public int Level;
        public int Type;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct PollFd
    {
        public int Fd;
        public short Events;
        public short REvents;
    }

    /// <summary>
    /// Upstream's per-socket set-up: no path MTU discovery (mosh picks its own MTU and must never see EMSGSIZE
    /// from a stale PMTU), ECT(0) on outgoing datagrams, and the TOS byte of incoming ones requested. Failures are
    /// ignored as upstream ignores them (e.g. IPv4 options on an IPv6-only socket).
    /// </summary>
    public static void ApplyUpstreamOptions(Socket socket)
    {
        TrySetInt(socket, IPPROTO_IP, IP_MTU_DISCOVER, IP_PMTUDISC_DONT);
        TrySetInt(socket, IPPROTO_IP, IP_TOS, ECT0);
        TrySetInt(socket, IPPROTO_IP, IP_RECVTOS, 1);
    }

    public static int GetInt(Socket socket, int level, int name)
    {
        Span<byte> value = stackalloc byte[sizeof(int)];
        _ = socket.GetRawSocketOption(level, name, value);
        return MemoryMarshal.Read<int>(value);
    }

    internal static int GetTypeOfService(Socket socket) => GetInt(socket, IPPROTO_IP, IP_TOS);

    internal static void SetTypeOfService(Socket socket, int tos) => TrySetInt(socket, IPPROTO_IP, IP_TOS, tos);

    internal static int GetMtuDiscover(Socket socket) => GetInt(socket, IPPROTO_IP, IP_MTU_DISCOVER);

    internal static int GetReceiveTos(Socket socket) => GetInt(socket, IPPROTO_IP, IP_RECVTOS);

    private static void TrySetInt(Socket socket, int level, int name, int value)
    {
        try
        {
            socket.SetRawSocketOption(level, name, MemoryMarshal.AsBytes(new ReadOnlySpan<int>(in value)));
        }
        catch (SocketException)
        {
        }
    }

    /// <summary>
    /// recvmsg() without blocking: the datagram into <paramref name="buffer"/>, its source into
    /// <paramref name="source"/> (whose buffer is the native sockaddr), and whether its IP header carried ECN
    /// congestion-experienced (from the IP_TOS control message IP_RECVTOS asks for). Returns the datagram length, or
    /// -1 if nothing is waiting or the socket reported an error.
    /// </summary>
    public static int ReceiveMessage(Socket socket, Span<byte> buffer, SocketAddress source, out bool congestionExperienced)
    {
        congestionExperienced = false;
        const int ControlLength = 64;
        byte* control = stackalloc byte[ControlLength];
        Span<byte> name = source.Buffer.Span;
        fixed (byte* data = buffer)
        fixed (byte* sockaddr = name)
        {
            var iov = new IoVec { Base = data, Length = (nuint)buffer.Length };
            var header = new MsgHdr
            {
                Name = sockaddr,
                NameLength = (uint)name.Length,
                Iov = &iov,
                IovLength = 1,
                Control = control,
                ControlLength = ControlLength,
            };
            nint received = recvmsg((int)socket.SafeHandle.DangerousGetHandle(), &header, MSG_DONTWAIT);
            if (received < 0)
            {
                return -1;
            }

            source.Size = (int)header.NameLength;
            if (header.ControlLength >= (nuint)sizeof(CmsgHdr))
            {
                var cmsg = (CmsgHdr*)control;
                if (cmsg->Level == IPPROTO_IP && (cmsg->Type == IP_TOS || cmsg->Type == IP_RECVTOS)
                    && cmsg->Length > (nuint)sizeof(CmsgHdr))
                {
                    congestionExperienced = (control[sizeof(CmsgHdr)] & 0x03) == EcnCongestionExperienced;
                }
            }

            return (int)received;
        }
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial nint recvmsg(int sockfd, MsgHdr* msg, int flags);

    /// <summary>Waits until any of the sockets is readable; false on timeout or interruption.</summary>
    public static bool WaitReadable(ReadOnlySpan<Socket> sockets, int timeoutMilliseconds)
    {
        const int MaxSockets = 16;
        Span<PollFd> fds = stackalloc PollFd[MaxSockets];
        int count = Math.Min(sockets.Length, MaxSockets);
        for (int i = 0; i < count; i++)
        {
            fds[i] = new PollFd { Fd = (int)sockets[i].SafeHandle.DangerousGetHandle(), Events = POLLIN };
        }

        fixed (PollFd* p = fds)
        {
            return poll(p, (nuint)count, timeoutMilliseconds) > 0;
        }
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int poll(PollFd* fds, nuint nfds, int timeout);
}
