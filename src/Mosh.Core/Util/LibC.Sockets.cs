using System.Runtime.InteropServices;

namespace Mosh.Util;

/// <summary>Socket calls .NET's Socket API does not expose with the control data mosh needs.</summary>
internal static unsafe partial class LibC
{
    // IPv4 socket options (level IPPROTO_IP) and their values.
    public const int IPPROTO_IP = 0;
    public const int IP_TOS = 1;
    public const int IP_MTU_DISCOVER = 10;
    public const int IP_RECVTOS = 13;
    public const int IP_PMTUDISC_DONT = 0;

    public const int MSG_DONTWAIT = 0x40;

    /// <summary>if_indextoname's buffer size.</summary>
    public const int IF_NAMESIZE = 16;

    [LibraryImport(Library, EntryPoint = "recvmsg", SetLastError = true)]
    public static partial nint RecvMsg(int socket, MessageHeader* message, int flags);

    /// <summary>Writes the interface's name into <paramref name="name"/> (IF_NAMESIZE bytes); null if unknown.</summary>
    [LibraryImport(Library, EntryPoint = "if_indextoname")]
    public static partial byte* IfIndexToName(uint index, byte* name);

    /// <summary><c>struct iovec</c> (16 bytes on x86-64 and aarch64).</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct IoVector
    {
        public byte* Base;
        public nuint Length;
    }

    /// <summary>
    /// glibc's <c>struct msghdr</c>, the same on x86-64 and aarch64 (56 bytes; msg_namelen is a 32-bit socklen_t
    /// followed by padding).
    /// </summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct MessageHeader
    {
        public byte* Name;
        public uint NameLength;
        public IoVector* Iov;
        public nuint IovLength;
        public byte* Control;
        public nuint ControlLength;
        public int Flags;
    }

    /// <summary><c>struct cmsghdr</c> (16 bytes on x86-64 and aarch64); the data follows it.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct ControlMessageHeader
    {
        public nuint Length;
        public int Level;
        public int Type;
    }
}
