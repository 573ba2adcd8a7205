using Mosh.Protobufs;
using Mosh.StateSync;

namespace Mosh.Tests.StateSync;

/// <summary>
/// Two transports (a client and a server, each synchronising a <see cref="UserStream"/>) joined by a deterministic
/// simulated network: seeded loss, duplication and a random per-datagram delay (which reorders), on a fake clock.
/// Each step sleeps until the earliest of the transports' wait times, the next arrival and the next scheduled action,
/// delivers what has arrived, runs the due actions and ticks both sides, as the real event loops do.
/// </summary>
internal sealed class SimulatedNetwork
{
    private readonly Random _random;
    private readonly PriorityQueue<(Endpoint To, byte[] Data), (long Time, long Order)> _inFlight = new();
    private readonly PriorityQueue<Action, (long Time, long Order)> _scheduled = new();
    private long _order;

    public SimulatedNetwork(int seed, double loss = 0, double duplication = 0, int minDelay = 30, int maxDelay = 30)
    {
        _random = new Random(seed);
        Loss = loss;
        Duplication = duplication;
        MinDelay = minDelay;
        MaxDelay = maxDelay;
        Clock = new FakeClock();
        Client = new Endpoint(this, "client", seed);
        Server = new Endpoint(this, "server", seed + 1);
        Client.Peer = Server;
        Server.Peer = Client;
        Client.Transport.SendMinDelay = TransportConstants.CLIENT_SEND_MINDELAY;
        double srtt = MinDelay + MaxDelay;
        foreach (Endpoint end in new[] { Client, Server })
        {
            end.Connection.SmoothedRoundTripTime = srtt;
            end.Connection.RetransmissionTimeout = (int)Math.Clamp(Math.Ceiling(srtt + (2 * (MaxDelay - MinDelay))), 50, 1000);
        }
    }

    public FakeClock Clock { get; }

    public double Loss { get; set; }

    public double Duplication { get; set; }

    public int MinDelay { get; }

    public int MaxDelay { get; }

    public Endpoint Client { get; }

    public Endpoint Server { get; }

    /// <summary>Runs <paramref name="action"/> at <paramref name="time"/> (before that step's ticks).</summary>
    public void Schedule(long time, Action action) => _scheduled.Enqueue(action, (time, _order++));

    /// <summary>Runs until <paramref name="done"/> holds after a step, or fails once <paramref name="limit"/> passes.</summary>
    public void RunUntil(Func<bool> done, long limit, string what)
    {
        while (!done())
        {
            if (!Step(limit))
            {
                Assert.Fail($"{what} did not happen by {limit - Clock.Now} ms from now (t={Clock.Now})");
            }
        }
    }

    /// <summary>Runs every step up to and including time <paramref name="until"/>.</summary>
    public void RunUntil(long until)
    {
        while (Step(until))
        {
        }
    }

    private bool Step(long until)
    {
        long now = Clock.Now;
        long next = Math.Min(now + Client.Transport.WaitTime(), now + Server.Transport.WaitTime());
        if (_inFlight.TryPeek(out _, out var arrival))
        {
            next = Math.Min(next, arrival.Time);
        }

        if (_scheduled.TryPeek(out _, out var due))
        {
            next = Math.Min(next, due.Time);
        }

        if (next > until)
        {
            Clock.AdvanceTo(until);
            return false;
        }

        Clock.AdvanceTo(Math.Max(next, now));
        while (_inFlight.TryPeek(out _, out arrival) && arrival.Time <= Clock.Now)
        {
            (Endpoint to, byte[] data) = _inFlight.Dequeue();
            to.Deliver(data);
        }

        while (_scheduled.TryPeek(out _, out due) && due.Time <= Clock.Now)
        {
            _scheduled.Dequeue()();
        }

        Client.Tick();
        Server.Tick();
        return true;
    }

    private void Transmit(Endpoint from, byte[] data)
    {
        if (from.Unplugged || _random.NextDouble() < Loss)
        {
            return;
        }

        int copies = _random.NextDouble() < Duplication ? 2 : 1;
        for (int i = 0; i < copies; i++)
        {
            _inFlight.Enqueue((from.Peer, data), (Clock.Now + _random.Next(MinDelay, MaxDelay + 1), _order++));
        }
    }

    internal sealed class Endpoint : IInstructionSink
    {
        private readonly SimulatedNetwork _network;

        public Endpoint(SimulatedNetwork network, string name, int seed)
        {
            _network = network;
            Name = name;
            Connection = new FakeConnection();
            Transport = new Transport<UserStream, UserStream>(new UserStream(), new UserStream(), Connection, this,
                network.Clock, new Random(seed));
        }

        public string Name { get; }

        public Endpoint Peer { get; set; } = null!;

        public FakeConnection Connection { get; }

        public Transport<UserStream, UserStream> Transport { get; }

        /// <summary>Every instruction this side sent (including those the network then lost).</summary>
        public List<SentInstruction> Sent { get; } = [];

        /// <summary>Every instruction that arrived, with when and what became of it.</summary>
        public List<(long Time, ReceiveOutcome Outcome, bool HadData)> Received { get; } = [];

        /// <summary>What this side's application consumed of the peer's stream, in order.</summary>
        public List<UserEvent> Consumed { get; } = [];

        /// <summary>The stream-frame bytes this side's application consumed of the peer's stream, in order.</summary>
        public List<byte> ConsumedStreamBytes { get; } = [];

        /// <summary>When set, this side's datagrams never reach the network.</summary>
        public bool Unplugged { get; set; }

        /// <summary>When set, consumed input is appended to this side's own state (a server echoing typing).</summary>
        public bool Echo { get; set; }

        /// <summary>
        /// While set, the application takes nothing from the transport (as our server while the pty's input queue is
        /// full): new states are received and acknowledged, and the input waits until it is taken at a later tick.
        /// </summary>
        public bool ConsumptionPaused { get; set; }

        private ulong _consumedNum;

        public void Send(in TransportInstruction instruction)
        {
            SentInstruction sent = SentInstruction.Capture(_network.Clock.Now, instruction);
            Sent.Add(sent);
            _network.Transmit(this, sent.Encoded);
        }

        internal void Deliver(byte[] data)
        {
            TransportInstruction instruction = SentInstruction.Parse(data);
            ReceiveOutcome outcome = Transport.Receive(in instruction);
            Received.Add((_network.Clock.Now, outcome, !instruction.Diff.IsEmpty));
            Consume();
        }

        private void Consume()
        {
            if (ConsumptionPaused)
            {
                return;
            }

            _consumedNum = Transport.RemoteStateNum;
            var diff = new System.Buffers.ArrayBufferWriter<byte>();
            Transport.GetRemoteDiff(diff);
            var events = new UserStream();
            Assert.That(events.TryApply(diff.WrittenSpan), Is.True);
            for (int i = 0; i < events.Count; i++)
            {
                Consumed.Add(events[i]);
            }

            foreach (UserEventRun run in events)
            {
                if (run.Kind == UserEventKind.StreamFrames)
                {
                    ConsumedStreamBytes.AddRange(run.Keys.ToArray());
                }
            }

            if (Echo && !Transport.ShutdownInProgress)
            {
                foreach (UserEventRun run in events)
                {
                    if (run.Kind == UserEventKind.Keystroke)
                    {
                        Transport.CurrentState.PushKeystrokes(run.Keys);
                    }
                }
            }
        }

        internal void Tick()
        {
            if (Transport.RemoteStateNum != _consumedNum)
            {
                Consume(); // what a pause held back, as the server takes it once its queue has room
            }

            Transport.Tick();
        }
    }
}
