using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Mosh.Util;

namespace Mosh.Network;

/// <summary>Linux socket options, recvmsg() with its control data, and poll() over sockets (bindings in LibC).</summary>
internal static unsafe class SocketNative
{
    /// <summary>ECN-capable transport, ECT(0); upstream notes it once used DSCP AF42 here.</summary>
    private const int ECT0 = 0x02;


    /// <summary>ECN field value meaning "congestion experienced".</summary>
    private const int EcnCongestionExperienced = 0x03;

    /// <summary>
    /// Upstream's per-socket set-up: no path MTU discovery (mosh picks its own MTU and must never see EMSGSIZE
    /// from a stale PMTU), ECT(0) on outgoing datagrams, and the TOS byte of incoming ones requested. Failures are
    /// ignored as upstream ignores them (e.g. IPv4 options on an IPv6-only socket).
    /// </summary>
    public static void ApplyUpstreamOptions(Socket socket)
    {
        TrySetInt(socket, LibC.IPPROTO_IP, LibC.IP_MTU_DISCOVER, LibC.IP_PMTUDISC_DONT);
        TrySetInt(socket, LibC.IPPROTO_IP, LibC.IP_TOS, ECT0);
        TrySetInt(socket, LibC.IPPROTO_IP, LibC.IP_RECVTOS, 1);
    }

    public static int GetInt(Socket socket, int level, int name)
    {
        Span<byte> value = stackalloc byte[sizeof(int)];
        _ = socket.GetRawSocketOption(level, name, value);
        return MemoryMarshal.Read<int>(value);
    }

    internal static int GetTypeOfService(Socket socket) => GetInt(socket, LibC.IPPROTO_IP, LibC.IP_TOS);

    internal static void SetTypeOfService(Socket socket, int tos) => TrySetInt(socket, LibC.IPPROTO_IP, LibC.IP_TOS, tos);

    internal static int GetMtuDiscover(Socket socket) => GetInt(socket, LibC.IPPROTO_IP, LibC.IP_MTU_DISCOVER);

    internal static int GetReceiveTos(Socket socket) => GetInt(socket, LibC.IPPROTO_IP, LibC.IP_RECVTOS);

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
    /// congestion-experienced (from the LibC.IP_TOS control message LibC.IP_RECVTOS asks for). Returns the datagram length, or
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
            var iov = new LibC.IoVector { Base = data, Length = (nuint)buffer.Length };
            var header = new LibC.MessageHeader
            {
                Name = sockaddr,
                NameLength = (uint)name.Length,
                Iov = &iov,
                IovLength = 1,
                Control = control,
                ControlLength = ControlLength,
            };
            nint received = LibC.RecvMsg((int)socket.SafeHandle.DangerousGetHandle(), &header, LibC.MSG_DONTWAIT);
            if (received < 0)
            {
                return -1;
            }

            source.Size = (int)header.NameLength;
            if (header.ControlLength >= (nuint)sizeof(LibC.ControlMessageHeader))
            {
                var cmsg = (LibC.ControlMessageHeader*)control;
                if (cmsg->Level == LibC.IPPROTO_IP && (cmsg->Type == LibC.IP_TOS || cmsg->Type == LibC.IP_RECVTOS)
                    && cmsg->Length > (nuint)sizeof(LibC.ControlMessageHeader))
                {
                    congestionExperienced = (control[sizeof(LibC.ControlMessageHeader)] & 0x03) == EcnCongestionExperienced;
                }
            }

            return (int)received;
        }
    }

    /// <summary>Waits until any of the sockets is readable; false on timeout or interruption.</summary>
    public static bool WaitReadable(ReadOnlySpan<Socket> sockets, int timeoutMilliseconds)
    {
        const int MaxSockets = 16;
        Span<PollDescriptor> fds = stackalloc PollDescriptor[MaxSockets];
        int count = Math.Min(sockets.Length, MaxSockets);
        for (int i = 0; i < count; i++)
        {
            fds[i] = new PollDescriptor((int)sockets[i].SafeHandle.DangerousGetHandle(), PollEvents.Readable);
        }

        fixed (PollDescriptor* p = fds)
        {
            return LibC.Poll(p, (nuint)count, timeoutMilliseconds) > 0;
        }
    }
}
