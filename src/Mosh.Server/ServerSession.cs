using System.Buffers;
using Mosh.Network;
using Mosh.Protobufs;
using Mosh.StateSync;
using Mosh.Util;

namespace Mosh.Server;

/// <summary>
/// The detached server's main loop (upstream's <c>serve</c>): the application's pty output runs through the
/// terminal emulator whose screen the transport synchronises to the client; the client's user stream becomes
/// keystrokes for the pty and window-size changes. The application starts when the first client state arrives.
/// The loop ends after the shutdown handshake (the application exited, SIGTERM/SIGINT, idle limits), or after 60 s
/// without ever hearing from a client.
/// </summary>
internal sealed partial class ServerSession : IDisposable
{
    /// <summary>ms to wait for a first client before giving up.</summary>
    private const long TimeoutIfNoClientMs = 60000;

    /// <summary>Wake at least this often while no client has spoken or while shutting down.</summary>
    private const int IdleWakeMs = 5000;

    private const int PtyReadSize = 16384;

    /// <summary>
    /// Most a pty read returns on Linux however large the buffer: the line discipline's 4 KiB buffer less one byte
    /// (measured: a flood of <c>seq</c> reads as 4095-byte chunks).
    /// </summary>
    private const int PtyChunk = 4095;

    // A writer slower than the server (seq; cat through the tty's output processing, some 17 MB/s) hands over
    // under 1 KB per wake-up. After a read that drained the pty of PtyLingerMinBytes or more, the next poll waits
    // a moment first, so the output gathers: the same bytes in a quarter of the wake-ups, polls and reads (the
    // server's CPU for seq 1 3000000 0.30 -> 0.19 s) without holding the writer back (the pty buffers several KB,
    // and the moment, with the kernel's timer slack, is about 0.1 ms). Keystroke echo is far below the threshold.
    private const int PtyLingerMicroseconds = 60;
    private const int PtyLingerMinBytes = 512;

    private Connection _connection;
    private TransportLink _link;
    private Transport<CompleteTerminal, UserStream> _transport;
    private readonly CompleteTerminal _terminal;
    private readonly PseudoTerminal _pty;
    private readonly ShellCommand _command;
    private readonly int _colors;
    private readonly IdleTimeouts _timeouts;
    private readonly int _verbosity;
    private readonly SignalPipe _signals = new(Signals.SIGTERM, Signals.SIGINT, SignalPipe.SIGUSR1);
    private readonly UserStream _scratchStream = new();
    private readonly EchoSendTiming _echoTiming = new();
    private readonly MemoryTrim _memoryTrim = new();
    private readonly ArrayBufferWriter<byte> _diff = new();
    private readonly byte[] _ptyBuffer = new byte[PtyReadSize];
    private bool _ptyLinger;
    private readonly UtmpEntry _utmp;
    private readonly ServerForwarding _forwarding;
    private readonly AdaptiveStreamBudget _streamBudget = new();

    /// <summary>The current client's first event arrived (its hello, or something else from upstream's client).</summary>
    private bool _clientIntroduced;

    /// <summary>The agent socket the shell's SSH_AUTH_SOCK names (<c>-A</c>), or null.</summary>
    private readonly AgentSocket? _agent;
    private readonly SessionPollSet _pollSet;

    // This turn's slots in _pollSet (-1: not polled this turn), and the forwarding descriptors' first and count.
    private int _controlSlot;
    private int _ptySlot;
    private int _forwardSlot;
    private int _forwardCount;
    private readonly ApplicationInputQueue _toApplication = new();

    private ChildProcess? _child;
    private byte[] _loginBanner = [];
    private readonly OutputSnapshots _snapshots = new();
    private ulong _lastRemoteNum;

    /// <summary>The remote state whose events were last taken into <see cref="_toApplication"/>.</summary>
    private ulong _lastConsumedNum;
    private long _instructionsReceived;
    private long _networkTimeoutMs;
    private long _signalTimeoutMs;
    private string _user = string.Empty;

    /// <summary>A new client state arrived: utmp may need to name the client (after this turn's frame went out).</summary>
    private bool _clientToRecord;

    /// <summary>Receive errors since the last good instruction; past 10, each one sleeps 100 ms (upstream's spin).</summary>
    private int _spinCount;

    /// <param name="historyLines">Scrollback lines kept for clients that take history; 0 keeps none.</param>
    public ServerSession(Connection connection, WindowSize window, ShellCommand command, int colors, IdleTimeouts timeouts,
        int verbosity, SessionControl? control = null, int historyLines = HistoryRing.DefaultCapacity, AgentSocket? agent = null)
    {
        _agent = agent;
        _control = control;
        _connection = connection;
        _command = command;
        _colors = colors;
        _timeouts = timeouts;
        _verbosity = verbosity;
        _forwarding = new ServerForwarding(verbosity > 0 ? line => Trace("forwarding: " + line) : _ => { }, agent?.Socket);
        _terminal = CompleteTerminal.ForServer(window.Columns, window.Rows, historyLines > 0 ? new HistoryRing(historyLines) : null,
            _forwarding.Log);
        _link = new TransportLink(connection);
        _transport = new Transport<CompleteTerminal, UserStream>(_terminal, new UserStream(), _link, _link, MonotonicClock.Instance);
        _pty = PseudoTerminal.Open();
        _pty.WindowSize = window;
        _pty.EnableUtf8();
        _pty.SetNonBlocking(true);
        _utmp = UtmpEntry.ForPty(_pty.MasterFd, Environment.ProcessId);
        // Upstream's select guard, with its -v -v trace of the loop's polls.
        _pollSet = new SessionPollSet(limitBusyPolls: true, pollTrace: verbosity > 1 ? Trace : null);
        if (verbosity > 0)
        {
            _transport.TraceTo(_link, Trace, MonotonicClock.Instance);
        }
    }

    private static void Trace(string line) => StandardStreams.WriteErrorText(line + "\n");

    private Transport<CompleteTerminal, UserStream> Transport => _transport;

    /// <summary>The protocol extensions this server offers a client that announces them.</summary>
    private WireCapabilities SupportedCapabilities =>
        WireCapabilities.SessionNotices | WireCapabilities.Streams | WireCapabilities.LargeClipboard
        | (_terminal.History is not null ? WireCapabilities.History : WireCapabilities.None);

    private static long Now => MonotonicClock.Instance.NowMilliseconds;

    public void Run()
    {
        _networkTimeoutMs = _timeouts.NetworkSeconds * 1000;
        _signalTimeoutMs = _timeouts.SignalSeconds * 1000;
        _utmp.Open();
        _loginBanner = ReadLoginBanner();
        _user = PasswdEntry.ForCurrentUser()?.Name ?? Environment.UserName;
        SessionLog.Begin(_user);
        SessionLoop.Run(Turn, OnNetworkError);
        SessionLog.End(_user);
    }

    /// <summary>One turn of the <see cref="SessionLoop"/>: wait, handle what woke us, tick; false to leave.</summary>
    private bool Turn()
    {
        WaitForEvents(Now);
        long now = Now;
        long sinceRemoteState = now - Transport.LatestRemoteState.Timestamp;
        if (_pollSet.NetworkReady)
        {
            ReceiveFromClient(now);
        }

        ServeApplication(now);
        if (_pollSet.SignalsReady)
        {
            _signals.Drain();
        }

        bool idleShutdown = IdleLimitReached(sinceRemoteState);
        if (_pollSet.IsReadReady(_controlSlot))
        {
            AnswerControlRequests(now);
        }

        // A second request while the handshake runs leaves at once, as upstream's server does.
        bool terminate = _signals.Take(Signals.SIGTERM) | _signals.Take(Signals.SIGINT) | TakeKillRequest();
        if ((terminate || idleShutdown) && SessionShutdown.Request(Transport) != ShutdownRequest.Started)
        {
            return false;
        }

        if (SessionShutdown.Ended(Transport) != SessionEnd.None)
        {
            return false;
        }

        _utmp.Tick(sinceRemoteState);

        if (_terminal.SetEchoAck(now) && !Transport.ShutdownInProgress)
        {
            Snapshot();
        }
        else if (!Transport.ShutdownInProgress)
        {
            _snapshots.BeforeTick(_transport, _terminal);
        }

        // Only a session that never had a client gives up; one waiting for an attached client keeps waiting.
        if (_child is null && Transport.RemoteStateNum == 0 && sinceRemoteState >= TimeoutIfNoClientMs)
        {
            StandardStreams.WriteErrorText($"No connection within {TimeoutIfNoClientMs / 1000} seconds.\n");
            return false;
        }

        Send(now);
        _memoryTrim.Service(now); // after the frame went out: a collection never holds one back
        return true;
    }

    /// <summary>The pty's output into the terminal, queued keystrokes into the pty, forwarded streams served.</summary>
    private void ServeApplication(long now)
    {
        if (_pollSet.IsReadReady(_ptySlot) && !Transport.ShutdownInProgress)
        {
            ReadApplicationOutput();
        }

        WriteToApplication();
        if (ConsumeUserInput(now))
        {
            WriteToApplication(); // the pty took enough to make room for what waited in the transport
        }

        if (_forwardCount > 0)
        {
            _forwarding.Service(_pollSet.Slots(_forwardSlot, _forwardCount));
        }

        if (_forwarding.Flush() && !Transport.ShutdownInProgress)
        {
            Snapshot();
        }

        if (!Transport.ShutdownInProgress)
        {
            StartApplicationWhenReady(now); // a wait for the client's listener requests may have ended
        }
    }

    /// <summary>Whether the client was silent past the network timeout, or past the signal timeout at a SIGUSR1.</summary>
    private bool IdleLimitReached(long sinceRemoteState)
    {
        bool idle = false;
        if (_networkTimeoutMs > 0 && _networkTimeoutMs <= sinceRemoteState)
        {
            idle = true;
            StandardStreams.WriteErrorText($"Network idle for {sinceRemoteState / 1000} seconds.\n");
        }

        if (_signals.Take(SignalPipe.SIGUSR1) && (_signalTimeoutMs == 0 || _signalTimeoutMs <= sinceRemoteState))
        {
            idle = true;
            StandardStreams.WriteErrorText($"Network idle for {sinceRemoteState / 1000} seconds when SIGUSR1 received\n");
        }

        return idle;
    }

    /// <summary>Sends what is due (to this client and to those an attach retired), then names a new client in utmp.</summary>
    private void Send(long now)
    {
        // Frames of stream data shrink on a lossy link, where a big frame is lost whole (and grow back).
        _forwarding.Log.FrameBudget = _streamBudget.Update(_transport.Sender.Timeouts, _transport.Sender.AcknowledgedStateNum);
        _transport.Tick();
        TickRetiringClients(now);
        _control?.KeepListening(now);

        // After the frame went out: naming a new client in utmp runs libutempter's helper (two processes, tens
        // of ms), which would otherwise hold back the first frame a new or roamed client is waiting for.
        if (_clientToRecord)
        {
            _clientToRecord = false;
            if (_utmp.OnClientState(_connection) is { } client)
            {
                SessionLog.Connected(_user, client);
            }
        }
    }

    /// <summary>Builds this turn's poll set and waits on it until the next thing is due.</summary>
    private void WaitForEvents(long now)
    {
        long timeout = Math.Min(_transport.WaitTime(), _terminal.WaitTime(now));
        if (Transport.RemoteStateNum == 0 || Transport.ShutdownInProgress)
        {
            timeout = Math.Min(timeout, IdleWakeMs);
        }

        if (_networkTimeoutMs > 0)
        {
            timeout = Math.Min(timeout, Math.Max(0, _networkTimeoutMs - (now - Transport.LatestRemoteState.Timestamp)));
        }

        timeout = Math.Min(timeout, ControlWaitTime(now));
        timeout = Math.Min(timeout, _forwarding.WaitTime(now));
        timeout = Math.Min(timeout, _memoryTrim.WaitTime(now));
        if (HasInputToConsume)
        {
            timeout = 0;
        }

        if (_ptyLinger && timeout != 0)
        {
            _ptyLinger = false;
            Poll.Pause(PtyLingerMicroseconds); // let a slow writer's output gather (PtyLingerMicroseconds)
        }

        _pollSet.Begin(_signals.Fd, _connection.Sockets);
        _controlSlot = _control?.Listener is { } listener ? _pollSet.Add(listener.WakeFd, PollEvents.Readable) : -1;

        // Writable only while keystrokes wait: the pty takes them as the application reads its input.
        _ptySlot = Transport.ShutdownInProgress ? -1 : _pollSet.Add(_pty.MasterFd,
            _toApplication.Count > 0 ? PollEvents.Readable | PollEvents.Writable : PollEvents.Readable);
        _forwardCount = Transport.ShutdownInProgress ? 0 : _forwarding.AddPollDescriptors(_pollSet.Room(_forwarding.DescriptorCount), 0);
        _forwardSlot = _pollSet.Added(_forwardCount);
        _pollSet.Wait(timeout);
    }

    /// <summary>Takes the client's datagrams, and the user input and client change they bring.</summary>
    private void ReceiveFromClient(long now)
    {
        // A receive error (another protocol version) still lets the good instructions of the same batch
        // take effect now; it is reported (and spun on) after them.
        NetworkException? receiveError = null;
        try
        {
            _link.ReceiveWaiting(_transport);
        }
        catch (NetworkException e)
        {
            receiveError = e;
        }

        if (_link.InstructionsReceived != _instructionsReceived)
        {
            _instructionsReceived = _link.InstructionsReceived;
            _spinCount = 0; // the back-off is for errors that persist, not for a burst the client outlasts
        }

        if (Transport.RemoteStateNum != _lastRemoteNum)
        {
            _lastRemoteNum = Transport.RemoteStateNum;
            ClientHeard();
            _clientToRecord = true;
        }

        ConsumeUserInput(now);

        if (receiveError is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(receiveError);
        }
    }

    /// <summary>As upstream's server: a network error is reported on stderr, and persistent ones are backed off.</summary>
    private void OnNetworkError(NetworkException e)
    {
        StandardStreams.WriteErrorText(e.Message + "\n");
        Spin();
    }

    public void Dispose()
    {
        DisposeRetiringClients();
        _signals.Dispose();
        _forwarding.Dispose();
        _utmp.Close();
        _pty.Dispose(); // the application's terminal hangs up (SIGHUP to its session)
        _child?.TryWait(out _);
        _link.Dispose();
        _connection.Dispose(); // after an attach, not the connection the session started with
    }

    /// <summary>Whether the client has events the application's queue has room for now.</summary>
    private bool HasInputToConsume => Transport.RemoteStateNum != _lastConsumedNum && !_toApplication.IsFull;

    /// <summary>
    /// Takes the client's new events from the transport unless keystrokes already wait for the application (then
    /// they stay in the transport's received states until there is room, so none is lost). True if it took any.
    /// </summary>
    private bool ConsumeUserInput(long now)
    {
        if (!HasInputToConsume)
        {
            return false;
        }

        _lastConsumedNum = Transport.RemoteStateNum;
        ApplyUserInput(now);
        return true;
    }

    /// <summary>Feeds the client's new events to the application; the first ones also start it.</summary>
    private void ApplyUserInput(long now)
    {
        _diff.ResetWrittenCount();
        Transport.GetRemoteDiff(_diff);
        _scratchStream.Clear();
        if (!_scratchStream.TryApply(_diff.WrittenSpan))
        {
            return;
        }

        int pendingWidth = 0, pendingHeight = 0;
        bool input = false;
        foreach (UserEventRun run in _scratchStream)
        {
            if (!_clientIntroduced)
            {
                // A client's hello is the first event of its stream: without one it is upstream's, which never asks
                // for forwarding (agent connections waiting for it are closed).
                _clientIntroduced = true;
                if (run.Kind != UserEventKind.Hello)
                {
                    _forwarding.Enable(false);
                }
            }

            if (run.Kind == UserEventKind.Hello)
            {
                // Our client's announcement: answer it, and use only what both ends have.
                _terminal.AnswerHello(run.Capabilities, SupportedCapabilities);
                _forwarding.Enable((run.Capabilities & SupportedCapabilities & WireCapabilities.Streams) != 0);
                if (_child is null && (run.Capabilities & WireCapabilities.ListenRequests) != 0)
                {
                    _forwarding.AwaitListenRequests(now); // its -R/-A listeners come a round trip later
                }

                continue;
            }

            if (run.Kind == UserEventKind.StreamFrames)
            {
                _forwarding.Receive(run.Keys);
                continue;
            }

            input = true;

            if (run.Kind == UserEventKind.Resize)
            {
                // Only the last of consecutive resizes matters.
                pendingWidth = run.Width;
                pendingHeight = run.Height;
                continue;
            }

            ApplyResize(ref pendingWidth, ref pendingHeight);
            _terminal.UserInput(run.Keys);
            _echoTiming.KeystrokesDelivered(run.Keys, now);
        }

        ApplyResize(ref pendingWidth, ref pendingHeight);
        _ = _forwarding.Flush();
        if (input)
        {
            _terminal.RegisterInputFrame(_lastConsumedNum, now);
        }

        if (!Transport.ShutdownInProgress)
        {
            Snapshot();
        }

        StartApplicationWhenReady(now);
    }

    /// <summary>
    /// Starts the application once a client has spoken, unless it waits (bounded) for the client's listener requests.
    /// </summary>
    private void StartApplicationWhenReady(long now)
    {
        if (_child is null && Transport.RemoteStateNum != 0 && !_forwarding.ApplicationWaits(now))
        {
            StartApplication();
        }
    }

    private void ApplyResize(ref int width, ref int height)
    {
        if (!CompleteTerminal.IsAcceptableSize(width, height))
        {
            width = height = 0; // absurd sizes are dropped, as malformed input is
            return;
        }

        try
        {
            _pty.WindowSize = new WindowSize((ushort)height, (ushort)width);
        }
        catch (IOException e)
        {
            StandardStreams.WriteErrorText($"ioctl TIOCSWINSZ: {e.Message}\n");
            Transport.StartShutdown();
        }

        _terminal.Resize(width, height);
        width = height = 0;
    }

    /// <summary>
    /// What a login shell's session shows first, gathered at session start as upstream's child does before it waits
    /// for the first client: the message of the day and the notice of the user's other, detached sessions (both
    /// skipped for a given command or with ~/.hushlogin).
    /// </summary>
    private byte[] ReadLoginBanner()
    {
        string? home = HomeDirectory();
        if (!_command.WithMotd || MessageOfTheDay.IsHushed(home))
        {
            return [];
        }

        byte[] motd = MessageOfTheDay.Read(home);
        if (DetachedSessionWarning.ForCurrentUser(UtmpEntry.DetachedText(Environment.ProcessId)) is not { } warning)
        {
            return motd;
        }

        return [.. motd, .. System.Text.Encoding.UTF8.GetBytes(warning)];
    }

    private static string? HomeDirectory()
    {
        string? home = Environment.GetEnvironmentVariable("HOME") ?? PasswdEntry.ForCurrentUser()?.Home;
        return home is not null && Directory.Exists(home) ? home : null;
    }

    private void StartApplication()
    {
        string? home = HomeDirectory();
        ShowMotd(_loginBanner);

        List<string> environment = ChildEnvironment.Build(Environment.GetEnvironmentVariables(), _colors, home,
            DaemonLauncher.Variables, _agent?.Path);
        try
        {
            _child = ChildProcess.Start(_command.Path, _command.Argv, environment, _pty.SlavePath, home);
        }
        catch (IOException e)
        {
            // Shown on the session's screen, as upstream's child reports a failed exec on the pty.
            ShowMotd(System.Text.Encoding.UTF8.GetBytes($"mosh-server: execvp: {_command.Path}: {e.Message}\n"));
            Transport.StartShutdown();
        }
    }

    /// <summary>Puts text on the screen as the pty would (its output processing turns LF into CR LF).</summary>
    private void ShowMotd(byte[] text)
    {
        if (text.Length == 0)
        {
            return;
        }

        var converted = new ArrayBufferWriter<byte>(text.Length + 64);
        foreach (byte b in text)
        {
            if (b == (byte)'\n')
            {
                converted.Write("\r\n"u8);
            }
            else
            {
                converted.Write([b]);
            }
        }

        _terminal.Write(converted.WrittenSpan);
        if (!Transport.ShutdownInProgress)
        {
            Snapshot();
        }
    }

    private void ReadApplicationOutput()
    {
        // The line discipline hands over at most PtyChunk bytes a read; in a flood the next chunk is there already,
        // so read on (up to PtyReadSize) instead of polling between chunks. A short read means the pty is drained.
        // Only while a whole chunk fits: the 4 bytes PtyReadSize leaves after four chunks made a fifth read of 4
        // bytes, costing as much in the kernel as a full one (a sixth of coloured text's reads; 5,900 -> 4,770).
        int total = 0;
        bool ended = false;
        bool drained = false;
        while (_ptyBuffer.Length - total >= PtyChunk && _pty.TryRead(_ptyBuffer.AsSpan(total), out int read))
        {
            if (read == 0)
            {
                ended = true; // EOF or EIO: every holder of the pty's slave side has gone
                break;
            }

            total += read;
            if (read < PtyChunk)
            {
                drained = true;
                break;
            }
        }

        // Only for a writer slower than the server: one short read. When full chunks came first, the server was
        // the one behind, and waiting would only hold the writer back.
        _ptyLinger = drained && total >= PtyLingerMinBytes && total < PtyChunk;

        if (total > 0)
        {
            _terminal.Write(_ptyBuffer.AsSpan(0, total));
            Transport.SendMinDelay = _echoTiming.SendMinDelayFor(total, Now);
            if (Transport.SendMinDelay == EchoSendTiming.EchoSendMinDelay)
            {
                // The echo of typed keys: to the transport now, ahead of any forwarded data keeping frames busy.
                _snapshots.Take(_transport, _terminal);
                _transport.Expedite();
            }
            else
            {
                _snapshots.OutputWritten(_transport, _terminal);
            }
        }

        if (ended)
        {
            Transport.StartShutdown();
        }
    }

    /// <summary>Hands the transport a copy of the screen as it is now.</summary>
    private void Snapshot() => _snapshots.Take(_transport, _terminal);

    /// <summary>
    /// Queues keystrokes and the emulator's answers (DA, DSR) for the application and writes what the pty takes now,
    /// never waiting: a program busy writing output must find the server reading it.
    /// </summary>
    private void WriteToApplication()
    {
        _toApplication.Append(_terminal.TerminalToHost);
        _terminal.ClearTerminalToHost();
        if (_toApplication.Count == 0 || Transport.ShutdownInProgress)
        {
            return;
        }

        int written = _pty.WriteAvailable(_toApplication.Pending);
        if (written < 0)
        {
            Transport.StartShutdown();
            return;
        }

        _toApplication.Consume(written);
    }

    private void Spin()
    {
        if (++_spinCount > 10)
        {
            Thread.Sleep(100);
        }
    }
}
