using System.Buffers;
using Mosh.Protobufs;
using Mosh.Server;

namespace Mosh.Tests.Server;

/// <summary>
/// The application's start waits for a client's listener requests (<c>-R</c>, <c>-A</c>) when the client announced
/// them, so the first command finds the listeners; bounded, and only then.
/// </summary>
public class ServerForwardingTests
{
    private static byte[] ListenEnd()
    {
        var entries = new ArrayBufferWriter<byte>();
        new StreamFrame(1, StreamFrameKind.ListenEnd).WriteEntry(entries);
        return entries.WrittenSpan.ToArray();
    }

    [Test]
    public void The_application_waits_for_announced_listener_requests_until_the_clients_listen_end_arrives()
    {
        using var forwarding = new ServerForwarding(_ => { });
        forwarding.Enable(true);
        forwarding.AwaitListenRequests(1000);
        Assert.Multiple(() =>
        {
            Assert.That(forwarding.ApplicationWaits(1000), Is.True);
            Assert.That(forwarding.WaitTime(1000), Is.EqualTo(ServerForwarding.ListenRequestsWaitMs), "the loop wakes when the wait ends");
        });

        forwarding.Receive(ListenEnd());
        Assert.That(forwarding.ApplicationWaits(1001), Is.False, "the requests are served: the application starts");
    }

    [Test]
    public void The_wait_for_listener_requests_is_bounded()
    {
        using var forwarding = new ServerForwarding(_ => { });
        forwarding.Enable(true);
        forwarding.AwaitListenRequests(1000);
        Assert.Multiple(() =>
        {
            Assert.That(forwarding.ApplicationWaits(1000 + ServerForwarding.ListenRequestsWaitMs - 1), Is.True);
            Assert.That(forwarding.ApplicationWaits(1000 + ServerForwarding.ListenRequestsWaitMs), Is.False);
            Assert.That(forwarding.WaitTime(1000 + ServerForwarding.ListenRequestsWaitMs), Is.EqualTo(int.MaxValue), "nothing left to wake for");
        });
    }

    [Test]
    public void Without_streams_or_without_the_announcement_the_application_does_not_wait()
    {
        using var off = new ServerForwarding(_ => { });
        off.Enable(false);
        off.AwaitListenRequests(1000);

        using var quiet = new ServerForwarding(_ => { });
        quiet.Enable(true);
        Assert.Multiple(() =>
        {
            Assert.That(off.ApplicationWaits(1000), Is.False, "a client without streams never sends ListenEnd");
            Assert.That(quiet.ApplicationWaits(1000), Is.False, "a client that did not announce requests");
        });
    }
}
