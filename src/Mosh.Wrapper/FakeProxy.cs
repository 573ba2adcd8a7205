using System.Net.Sockets;
using System.Net;
using System.Runtime.InteropServices;
using Mosh.Util;

namespace Mosh.Wrapper;

/// <summary>
/// <c>mosh --fake-proxy -- HOST PORT</c>: what ssh runs as its ProxyCommand. It connects to the host itself, tells
/// the wrapper (through ssh's stderr) which address it reached with <c>MOSH IP addr</c>, then copies bytes between
/// its stdin/stdout and the TCP connection like netcat. The address is where mosh-client later sends UDP.
/// </summary>
internal static class FakeProxy
{
    public const int FailureExitStatus = 255;

    public static int Run(string host, string port, AddressFamilyChoice family, string programName)
    {
        if (!int.TryParse(port, out int portNumber) || portNumber is < 0 or > 65535)
        {
            StandardStreams.WriteError($"{programName}: Bad port {port}");
            return FailureExitStatus;
        }

        List<IPAddress> addresses;
        try
        {
            addresses = AddressResolver.Resolve(host, family, programName);
        }
        catch (AddressResolver.ResolveException e)
        {
            StandardStreams.WriteError(e.Message);
            return FailureExitStatus;
        }

        Socket? connected = null;
        string lastTried = "";
        string lastError = "no address";
        foreach (IPAddress address in addresses)
        {
            lastTried = address.ToString();
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                socket.Connect(new IPEndPoint(address, portNumber));
                connected = socket;
                break;
            }
            catch (SocketException e)
            {
                lastError = e.Message;
                socket.Dispose();
            }
        }
        if (connected is null)
        {
            StandardStreams.WriteError($"{programName}: Could not connect to {host}, last tried {lastTried}: {lastError}");
            return FailureExitStatus;
        }

        StandardStreams.WriteError("MOSH IP " + lastTried);
        Relay(connected);
        return 0;
    }

    private static void Relay(Socket socket)
    {
        // ssh may hang up on us before the connection is done; the copy must still finish.
        using PosixSignalRegistration hangup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, context => context.Cancel = true);

        var fromServer = new Thread(() =>
        {
            Copy(buffer => socket.Receive(buffer), buffer =>
            {
                if (!StandardStreams.Write(StandardStreams.OutputFd, buffer))
                {
                    throw new IOException("stdout closed");
                }
            });
            Shutdown(socket, SocketShutdown.Receive);
        }) { IsBackground = true, Name = "proxy-from-server" };
        fromServer.Start();

        Copy(buffer => StandardStreams.Read(StandardStreams.InputFd, buffer), buffer => socket.Send(buffer));
        Shutdown(socket, SocketShutdown.Send);
        fromServer.Join();
        socket.Dispose();
    }

    private delegate int Reader(Span<byte> buffer);

    private delegate void Writer(ReadOnlySpan<byte> buffer);

    private static void Copy(Reader read, Writer write)
    {
        var buffer = new byte[4096];
        try
        {
            while (true)
            {
                int n = read(buffer);
                if (n <= 0)
                {
                    return;
                }
                write(buffer.AsSpan(0, n));
            }
        }
        catch (IOException)
        {
        }
        catch (SocketException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private static void Shutdown(Socket socket, SocketShutdown how)
    {
        try
        {
            socket.Shutdown(how);
        }
        catch (SocketException)
        {
        }
    }
}
