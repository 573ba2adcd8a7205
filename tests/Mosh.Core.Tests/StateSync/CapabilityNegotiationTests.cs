using System.Buffers;
using Mosh.Protobufs;
using Mosh.StateSync;

namespace Mosh.Tests.StateSync;

/// <summary>The hello exchange that gates every extension: our client announces, our server answers, upstream peers see nothing.</summary>
[TestFixture]
public class CapabilityNegotiationTests
{
    [Test]
    public void A_clients_hello_goes_out_first_until_acknowledged_and_reaches_the_server_as_an_event()
    {
        var sent = new UserStream();
        sent.PushHello(WireCapabilities.History | WireCapabilities.Streams);
        sent.PushResize(80, 24);
        sent.PushKeystrokes("ls"u8);
        var state0 = new UserStream();

        byte[] diff = SyncDiffs.Diff(sent, state0);
        var server = new UserStream();
        Assert.That(server.TryApply(diff), Is.True);
        Assert.Multiple(() =>
        {
            Assert.That(server.Count, Is.EqualTo(4));
            Assert.That(server[0], Is.EqualTo(UserEvent.ForHello(WireCapabilities.History | WireCapabilities.Streams)));
            Assert.That(server[1], Is.EqualTo(UserEvent.ForResize(80, 24)));
            Assert.That(server, Is.EqualTo(sent));
        });

        // Lost: the next diff from the same (unacknowledged) base carries it again.
        sent.PushKeystrokes("x"u8);
        Assert.That(SyncDiffs.Diff(sent, state0)[..5], Is.EqualTo(diff[..5]));

        // Acknowledged: subtracted like any event, and the next diff no longer has it.
        UserStream acked = sent.Clone();
        sent.PushKeystrokes("y"u8);
        sent.Subtract(acked);
        var rest = new UserStream();
        Assert.That(rest.TryApply(SyncDiffs.Diff(sent, new UserStream())), Is.True);
        Assert.That(rest.Count, Is.EqualTo(1));
        Assert.That(rest[0], Is.EqualTo(UserEvent.ForKey((byte)'y')));
    }

    [Test]
    public void A_server_that_heard_no_hello_never_writes_an_extension_field()
    {
        var blank = new CompleteTerminal(80, 24);
        CompleteTerminal server = blank.Clone();
        server.Write("hello\r\n"u8);
        server.RegisterInputFrame(3, 0);
        _ = server.SetEchoAck(1000);
        server.Resize(100, 30);
        var init = new ArrayBufferWriter<byte>();
        server.InitDiff(init);
        Assert.Multiple(() =>
        {
            Assert.That(server.Capabilities, Is.Null);
            Assert.That(SyncDiffs.HostExtensionFields(SyncDiffs.Diff(server, blank)), Is.Empty);
            Assert.That(SyncDiffs.HostExtensionFields(init.WrittenSpan.ToArray()), Is.Empty);
        });
    }

    [Test]
    public void The_server_answers_with_what_both_ends_have_once_and_the_client_learns_it()
    {
        var blank = new CompleteTerminal(80, 24);
        CompleteTerminal server = blank.Clone();
        server.AnswerHello(WireCapabilities.History | WireCapabilities.Streams | (WireCapabilities)64, WireCapabilities.History | WireCapabilities.SessionNotices);
        byte[] diff = SyncDiffs.Diff(server, blank);
        CompleteTerminal client = blank.Clone();
        Assert.That(client.TryApply(diff), Is.True);
        Assert.Multiple(() =>
        {
            Assert.That(SyncDiffs.HostExtensionFields(diff), Is.EqualTo(new[] { ExtensionFields.Hello }));
            Assert.That(server.Capabilities, Is.EqualTo(WireCapabilities.History));
            Assert.That(client.Capabilities, Is.EqualTo(WireCapabilities.History));
            Assert.That(client, Is.EqualTo(server));
            Assert.That(server.RoundTripsTo(client, null), Is.True);
            Assert.That(blank.RoundTripsTo(client, null), Is.False, "the hello is part of the state");
        });

        // Already answered in the base: not repeated; a new client's different hello is answered again.
        CompleteTerminal later = server.Clone();
        later.Write("x"u8);
        Assert.That(SyncDiffs.HostExtensionFields(SyncDiffs.Diff(later, server)), Is.Empty);
        later.AnswerHello(WireCapabilities.None, WireCapabilities.History);
        Assert.That(SyncDiffs.HostExtensionFields(SyncDiffs.Diff(later, server)), Is.EqualTo(new[] { ExtensionFields.Hello }));
    }

    [Test]
    public void After_an_attach_the_new_client_gets_no_extension_until_it_announces_and_then_the_history_it_lacks()
    {
        CompleteTerminal live = CompleteTerminal.ForServer(80, 24, new HistoryRing(100));
        live.AnswerHello(WireCapabilities.History, WireCapabilities.History);
        live.Write(System.Text.Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("x\r\n", 40))));
        live.ForgetClient(); // a new client attaches (perhaps upstream's)
        var newClientState0 = new CompleteTerminal(80, 24);
        Assert.That(SyncDiffs.HostExtensionFields(SyncDiffs.Diff(live.Clone(), newClientState0)), Is.Empty);

        live.AnswerHello(WireCapabilities.History, WireCapabilities.History);
        var inbox = new HistoryInbox();
        CompleteTerminal client = CompleteTerminal.ForClient(80, 24, inbox);
        Assert.That(client.TryApply(SyncDiffs.Diff(live.Clone(), newClientState0)), Is.True);
        Assert.That(inbox.PendingCount, Is.EqualTo(17), "every line the ring holds");
    }

    [Test]
    public void A_malformed_hello_from_a_peer_is_ignored_without_failing_the_diff()
    {
        var output = new ArrayBufferWriter<byte>();
        UserInstruction.ForExtension(ExtensionFields.Hello, [0x08]).WriteTo(output); // truncated varint inside
        UserInstruction.ForKeystroke("a"u8).WriteTo(output);
        var server = new UserStream();
        Assert.That(server.TryApply(output.WrittenSpan), Is.True);
        Assert.That(server.Count, Is.EqualTo(1));
        Assert.That(server[0], Is.EqualTo(UserEvent.ForKey((byte)'a')));
    }
}
