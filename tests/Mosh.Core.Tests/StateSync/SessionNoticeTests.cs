using System.Buffers;
using Mosh.Protobufs;
using Mosh.StateSync;

namespace Mosh.Tests.StateSync;

/// <summary>
/// The "taken over" notice (field 42): part of the server's state, sent only to a client that announced session
/// notices, applied by our client; forgetting the client after an attach also forgets its hello.
/// </summary>
[TestFixture]
public class SessionNoticeTests
{
    [Test]
    public void A_client_that_announced_notices_is_told_it_was_taken_over()
    {
        var blank = new CompleteTerminal(80, 24);
        CompleteTerminal server = blank.Clone();
        server.AnswerHello(WireCapabilities.History | WireCapabilities.SessionNotices, WireCapabilities.SessionNotices);
        CompleteTerminal client = blank.Clone();
        Assert.That(client.TryApply(SyncDiffs.Diff(server, blank)), Is.True);

        CompleteTerminal last = server.WithNotice(SessionNoticeKind.TakenOver);
        byte[] diff = SyncDiffs.Diff(last, server);
        Assert.That(SyncDiffs.HostExtensionFields(diff), Is.EqualTo(new[] { ExtensionFields.SessionNotice }));
        Assert.That(client.TryApply(diff), Is.True);
        Assert.Multiple(() =>
        {
            Assert.That(client.Notice, Is.EqualTo(SessionNoticeKind.TakenOver));
            Assert.That(server.Notice, Is.EqualTo(SessionNoticeKind.None), "the live state is unchanged");
            Assert.That(last.RoundTripsTo(client, null), Is.True);
            Assert.That(last, Is.Not.EqualTo(server), "the notice is part of the state, so it is (re)sent");
        });
    }

    [Test]
    public void A_client_without_the_capability_or_without_a_hello_gets_no_notice_field()
    {
        var blank = new CompleteTerminal(80, 24);
        CompleteTerminal upstreamClients = blank.Clone();
        upstreamClients.Write("x"u8);
        CompleteTerminal historyOnly = blank.Clone();
        historyOnly.AnswerHello(WireCapabilities.History, WireCapabilities.History | WireCapabilities.SessionNotices);
        Assert.Multiple(() =>
        {
            Assert.That(SyncDiffs.HostExtensionFields(SyncDiffs.Diff(upstreamClients.WithNotice(SessionNoticeKind.TakenOver), upstreamClients)), Is.Empty);
            Assert.That(SyncDiffs.HostExtensionFields(SyncDiffs.Diff(historyOnly.WithNotice(SessionNoticeKind.TakenOver), historyOnly)), Is.Empty);
        });
    }

    [Test]
    public void Forgetting_the_client_after_an_attach_forgets_its_hello_echo_ack_and_notice()
    {
        var blank = new CompleteTerminal(80, 24);
        CompleteTerminal server = blank.Clone();
        server.AnswerHello(WireCapabilities.SessionNotices, WireCapabilities.SessionNotices);
        server.RegisterInputFrame(7, 0);
        _ = server.SetEchoAck(1000);
        Assert.That(server.EchoAck, Is.EqualTo(7));

        server.ForgetClient();
        Assert.Multiple(() =>
        {
            Assert.That(server.Capabilities, Is.Null);
            Assert.That(server.EchoAck, Is.Zero);
            Assert.That(SyncDiffs.HostExtensionFields(SyncDiffs.Diff(server, blank)), Is.Empty, "an upstream client attaching next must get no extension");
        });
    }

    [Test]
    public void A_malformed_notice_is_ignored_and_the_rest_of_the_diff_applies()
    {
        var output = new ArrayBufferWriter<byte>();
        HostInstruction.ForExtension(ExtensionFields.SessionNotice, [0x08]).WriteTo(output); // truncated varint
        HostInstruction.ForHostBytes("ok"u8).WriteTo(output);
        var client = new CompleteTerminal(80, 24);
        Assert.That(client.TryApply(output.WrittenSpan), Is.True);
        Assert.That(client.Notice, Is.EqualTo(SessionNoticeKind.None));
        Assert.That(client.Framebuffer.GetRow(0).GetTextString(0) + client.Framebuffer.GetRow(0).GetTextString(1), Is.EqualTo("ok"));
    }
}
