using System.Buffers.Binary;
using System.Net.Sockets;

namespace Mosh.Server;

/// <summary>The process and user at the other end of a connected Unix socket, as the kernel vouches for them (SO_PEERCRED).</summary>
internal readonly record struct PeerCredentials(int Pid, uint Uid)
{
    private const int SOL_SOCKET = 1;
    private const int SO_PEERCRED = 17;

    /// <summary>Reads struct ucred { pid_t pid; uid_t uid; gid_t gid; }; null if the kernel gives none.</summary>
    public static PeerCredentials? Of(Socket socket)
    {
        Span<byte> ucred = stackalloc byte[12];
        try
        {
            int length = socket.GetRawSocketOption(SOL_SOCKET, SO_PEERCRED, ucred);
            if (length < 12)
            {
                return null;
            }
        }
        catch (SocketException)
        {
            return null;
        }

        return new PeerCredentials(BinaryPrimitives.ReadInt32LittleEndian(ucred), BinaryPrimitives.ReadUInt32LittleEndian(ucred[4..]));
    }
}
