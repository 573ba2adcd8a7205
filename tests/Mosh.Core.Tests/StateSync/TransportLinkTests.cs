using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using Mosh.Crypto;
using Mosh.Network;
using Mosh.Protobufs;
using Mosh.StateSync;

namespace Mosh.Tests.StateSync;

/// <summary>Two transports over two real loopback <see cref="Connection"/>s: fragments, zlib, OCB and UDP included.</summary>
[TestFixture]
public class TransportLinkTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    private SessionKey _key = null!;
    private Connection _serverConnection = null!;
    private Connection _clientConnection = null!;
    private TransportLink _serverLink = null!;
    private TransportLink _clientLink = null!;
    private Transport<UserStream, UserStream> _server = null!;
    private Transport<UserStream, UserStream> _client = null!;
    private readonly List<UserEvent> _serverConsumed = [];
    private readonly List<UserEvent> _clientConsumed = [];

    [SetUp]
    public void SetUp()
    {
        _key = SessionKey.Generate();
        _serverConnection = Connection.CreateServer(_key, "127.0.0.1", new PortRange(0, 0), MonotonicClock.Instance);
        _clientConnection = Connection.CreateClient(_key, "127.0.0.1",
            _serverConnection.Port.ToString(CultureInfo.InvariantCulture), MonotonicClock.Instance);
        _serverLink = new TransportLink(_serverConnection);
        _clientLink = new TransportLink(_clientConnection);
        _server = new Transport<UserStream, UserStream>(new UserStream(), new UserStream(), _serverLink, _serverLink, MonotonicClock.Instance);
        _client = new Transport<UserStream, UserStream>(new UserStream(), new UserStream(), _clientLink, _clientLink, MonotonicClock.Instance)
        {
            SendMinDelay = TransportConstants.CLIENT_SEND_MINDELAY,
        };
        _serverConsumed.Clear();
        _clientConsumed.Clear();
    }

    [TearDown]
    public void TearDown()
    {
        _serverLink.Dispose();
        _clientLink.Dispose();
        _serverConnection.Dispose();
        _clientConnection.Dispose();
    }

    private static void Consume(Transport<UserStream, UserStream> transport, List<UserEvent> consumed, bool echo)
    {
        var diff = new ArrayBufferWriter<byte>();
        transport.GetRemoteDiff(diff);
        var events = new UserStream();
        Assert.That(events.TryApply(diff.WrittenSpan), Is.True);
        for (int i = 0; i < events.Count; i++)
        {
            consumed.Add(events[i]);
        }

        if (echo && !transport.ShutdownInProgress)
        {
            foreach (UserEventRun run in events)
            {
                if (run.Kind == UserEventKind.Keystroke)
                {
                    transport.CurrentState.PushKeystrokes(run.Keys);
                }
            }
        }
    }

    /// <summary>Both event loops in one: receive, consume, tick, sleep until the next event or datagram.</summary>
    private void RunUntil(Func<bool> done, string what)
    {
        var elapsed = Stopwatch.StartNew();
        while (!done())
        {
            Assert.That(elapsed.Elapsed, Is.LessThan(Deadline), $"{what} did not happen in time");
            _ = _serverLink.ReceiveWaiting(_server);
            Consume(_server, _serverConsumed, echo: true);
            _ = _clientLink.ReceiveWaiting(_client);
            Consume(_client, _clientConsumed, echo: false);
            _server.Tick();
            _client.Tick();
            int wait = Math.Min(Math.Min(_server.WaitTime(), _client.WaitTime()), 5);
            _ = _serverConnection.WaitForDatagram(wait);
        }
    }

    [Test]
    public void APasteSpanningManyFragments_ResizesAndTyping_ArriveExactlyOnceInOrder_AndEchoBack()
    {
        var random = new Random(42);
        byte[] paste = new byte[20_000];
        random.NextBytes(paste); // incompressible: about 17 fragments at the loopback MTU
        var expected = new List<UserEvent>();
        _client.CurrentState.PushResize(80, 24);
        expected.Add(UserEvent.ForResize(80, 24));
        _client.CurrentState.PushKeystrokes(paste);
        expected.AddRange(paste.Select(UserEvent.ForKey));

        RunUntil(() => _serverConsumed.Count >= expected.Count, "the paste");
        foreach (char c in "echo hi\r")
        {
            _client.CurrentState.PushKeystroke((byte)c);
            expected.Add(UserEvent.ForKey((byte)c));
            RunUntil(() => _serverConsumed.Count >= expected.Count, "a keystroke");
        }

        List<UserEvent> expectedKeys = expected.Where(e => e.Kind == UserEventKind.Keystroke).ToList();
        RunUntil(() => _clientConsumed.Count >= expectedKeys.Count, "the echo");

        Assert.That(_serverConsumed, Is.EqualTo(expected));
        Assert.That(_clientConsumed, Is.EqualTo(expectedKeys));
        Assert.That(_clientConnection.Rtt.HasSample, Is.True, "round trips were measured");
        Assert.That(_serverConnection.RemoteEndPoint, Is.Not.Null);
    }

    [Test]
    public void TheShutdownHandshake_CompletesOverTheWire()
    {
        _client.CurrentState.PushKeystroke((byte)'x');
        RunUntil(() => _serverConsumed.Count == 1, "the first keystroke");

        _client.StartShutdown();
        RunUntil(() => _client.ShutdownAcknowledged && _server.CounterpartyShutdownAckSent, "the shutdown handshake");

        Assert.That(_client.ShutdownAckTimedOut, Is.False);
    }

    [Test]
    public void AnInstructionOfAnotherProtocolVersion_RaisesUpstreamsError()
    {
        using var compressor = new Compressor();
        var fragmenter = new Fragmenter(compressor);
        var instruction = new TransportInstruction { ProtocolVersion = 1, OldNum = 0, NewNum = 1, AckNum = 0, ThrowawayNum = 0, Diff = [] };
        FragmentBatch batch = fragmenter.MakeFragments(instruction, NetworkConstants.FragmenterMtu(_clientConnection.Mtu));
        _clientConnection.Send(batch[0].WriteTo(_clientConnection.PayloadBuffer));
        _ = _serverConnection.WaitForDatagram(2000);

        Assert.That(() => _serverLink.ReceiveWaiting(_server),
            Throws.InstanceOf<NetworkException>().With.Message.EqualTo("mosh protocol version mismatch"));
        Assert.That(_server.RemoteStateNum, Is.Zero);
    }

    [Test]
    public void AGoodInstructionBehindOneOfAnotherVersion_ArrivesInTheSameBatch_AndTheErrorFollows()
    {
        using var compressor = new Compressor();
        var fragmenter = new Fragmenter(compressor);
        var foreign = new TransportInstruction { ProtocolVersion = 1, OldNum = 0, NewNum = 1, AckNum = 0, ThrowawayNum = 0, Diff = [] };
        FragmentBatch batch = fragmenter.MakeFragments(foreign, NetworkConstants.FragmenterMtu(_clientConnection.Mtu));
        _clientConnection.Send(batch[0].WriteTo(_clientConnection.PayloadBuffer));
        _client.CurrentState.PushKeystroke((byte)'x');
        // The good instruction goes out right behind the foreign one (after the client's send delay); both wait in
        // the server's socket for the one receive call.
        var waited = Stopwatch.StartNew();
        while (waited.ElapsedMilliseconds < 200)
        {
            _client.Tick();
            Thread.Sleep(5);
        }

        Assert.That(() => _serverLink.ReceiveWaiting(_server),
            Throws.InstanceOf<NetworkException>().With.Message.EqualTo("mosh protocol version mismatch"));
        Assert.That(_server.RemoteStateNum, Is.EqualTo(1UL), "the good instruction behind the foreign one");
        Assert.That(_serverLink.InstructionsReceived, Is.EqualTo(1));
    }
}
