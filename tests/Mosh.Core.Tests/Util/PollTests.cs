using System.Net;
using System.Net.Sockets;
using Mosh.Util;

namespace Mosh.Tests.Util;

[TestFixture]
public class PollTests
{
    [Test]
    public void Wait_UdpSocketAndPty_ReportsOnlyTheReadyOne()
    {
        using var receiver = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        receiver.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        using var sender = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        using var pty = PseudoTerminal.Open();
        int socketFd = (int)receiver.Handle;
        Span<PollDescriptor> set = [new(socketFd, PollEvents.Readable), new(pty.MasterFd, PollEvents.Readable)];

        Assert.That(Poll.Wait(set, 50), Is.Zero, "nothing ready: timeout");

        sender.SendTo([1, 2, 3], receiver.LocalEndPoint!);
        int ready = Poll.Wait(set, 5000);

        Assert.That(ready, Is.EqualTo(1));
        Assert.That(set[0].IsReadReady, Is.True);
        Assert.That(set[1].ReturnedEvents, Is.EqualTo(PollEvents.None));
    }

    [Test]
    public void Wait_ClosedDescriptor_IsReportedInvalid()
    {
        int fd = LibC.Open("/dev/null", LibC.O_RDWR | LibC.O_CLOEXEC);
        LibC.Close(fd);
        Span<PollDescriptor> set = [new(fd, PollEvents.Readable)];

        Assert.That(Poll.Wait(set, 0), Is.EqualTo(1));
        Assert.That(set[0].ReturnedEvents, Is.EqualTo(PollEvents.InvalidDescriptor));
    }
}
