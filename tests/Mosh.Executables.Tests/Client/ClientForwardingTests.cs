using System.Buffers;
using System.Net;
using System.Net.Sockets;
using Mosh.Client;
using Mosh.Forwarding;
using Mosh.Protobufs;
using Mosh.StateSync;

namespace Mosh.Tests.Client;

public class ClientForwardingTests
{
    [Test]
    public void A_gap_in_the_servers_stream_log_is_reported_once_with_the_bytes_lost()
    {
        var reports = new List<string>();
        using var forwarding = new ClientForwarding([new ForwardSpec("127.0.0.1", FreePort(), "127.0.0.1", 9)], reports.Add);
        forwarding.Start();
        var current = new UserStream();

        // The server answers the hello with the streams capability: forwarding is on.
        CompleteTerminal server = CompleteTerminal.ForServer(80, 24, null, new StreamLog());
        server.AnswerHello(WireCapabilities.Streams, WireCapabilities.Streams);
        CompleteTerminal client = CompleteTerminal.ForClient(80, 24, new HistoryInbox(), forwarding.Inbox);
        var diff = new ArrayBufferWriter<byte>();
        server.DiffFrom(CompleteTerminal.ForClient(80, 24, new HistoryInbox()), diff);
        Assert.That(client.TryApply(diff.WrittenSpan), Is.True);
        forwarding.AfterReceive(client, 1, current);
        Assert.That(reports, Is.Empty);

        var entry = new ArrayBufferWriter<byte>();
        new StreamFrame(2, StreamFrameKind.Data, "x"u8).WriteEntry(entry);
        forwarding.Inbox.Offer(100, entry.WrittenSpan); // the log's first 100 bytes never came
        forwarding.AfterReceive(client, 2, current);
        forwarding.AfterReceive(client, 2, current);

        Assert.That(reports, Has.Count.EqualTo(1));
        Assert.That(reports[0], Does.Contain("100 bytes").And.Contain("lost"));
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
