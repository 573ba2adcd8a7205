using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using Mosh.Crypto;
using Mosh.Network;
using Mosh.Protobufs;
using Mosh.StateSync;
using Mosh.Terminal;
using Mosh.Util;

namespace Mosh.Client;

/// <summary>
/// mosh-client's main loop (upstream's STMClient): the user's keystrokes and window size go to the server as a
/// <see cref="UserStream"/>; the server's terminal comes back as a <see cref="CompleteTerminal"/>, whose screen (with
/// the overlays drawn on a copy) is painted onto the user's terminal as a diff against what is already shown.
/// </summary>
internal sealed class ClientSession : IDisposable
{
    /// <summary>While nothing has come from the server, wake this often to update the connecting message.</summary>
    private const int ConnectingWakeMs = 250;

    /// <summary>Give up after this long without a first word from the server.</summary>
    private const long ConnectTimeoutMs = 15000;

    private const int InputReadSize = 16384;

    /// <summary>
    /// While this many of the user's events are not yet acknowledged, the client reads no more typing (a paste waits
    /// in the terminal): a resend carries every unacknowledged event in one instruction, and one of a megabyte is
    /// hundreds of fragments sent at once, more than a socket buffer holds, so it never arrives whole (and any over
    /// 4 MiB is refused outright): an unbounded paste was retransmitted for good.
    /// </summary>
    internal const int UnacknowledgedInputLimit = 64 * 1024;

    private readonly string _ip;
    private readonly string _port;
    private readonly Display _display;
    private readonly EscapeKeyHandler _escape;
    private readonly NotificationBar _bar;
    private readonly PredictionOverlay _prediction;
    private readonly List<IFrameOverlay> _overlays;
    private readonly TitlePrefix? _titlePrefix;
    private readonly string _connectingMessage;
    private readonly ArrayBufferWriter<byte> _frameOutput = new(16384);
    private readonly byte[] _inputBuffer = new byte[InputReadSize];
    private readonly HistoryInbox _historyInbox = new();
    private readonly ScrollbackPainter _scrollback = new();

    /// <summary>
    /// The server sends history: the user's terminal shows its primary screen, whose scrollback keeps the history,
    /// while the server's shows its primary screen, and its alternate screen (where terminfo has one) while the
    /// server's does (<see cref="FollowServerScreen"/>).
    /// </summary>
    private bool _historyMode;
    private Connection? _connection;
    private TransportLink? _link;
    private Transport<UserStream, CompleteTerminal>? _network;
    private UserTerminal? _terminal;
    private SignalPipe? _signals;
    private Framebuffer _localFramebuffer = new(1, 1);

    // The frame being composed; it trades places with _localFramebuffer after each paint, so composing a frame
    // (copy of the server's, overlays on top) reuses rows instead of allocating a new frame every time.
    private Framebuffer _composedFramebuffer = new(1, 1);
    private bool _repaintRequested;
    private WindowSize _lastWindowSent;
    private bool _cleanShutdown;
    private readonly int _verbosity;
    private readonly ClientForwarding _forwarding;
    private readonly SessionPollSet _pollSet = new();

    // This turn's slots in _pollSet: the user's terminal, and the forwarding descriptors (first and count).
    private int _inputSlot;
    private int _forwardSlot;
    private int _forwardCount;

    /// <param name="titlePrefix">Put before the window title while the session runs; null for none.</param>
    /// <param name="verbosity">-v count: with one or more, upstream's transport trace and diff self-check go to stderr.</param>
    public ClientSession(string ip, string port, Display display, EscapeKeyHandler escape, string? titlePrefix, PredictionOverlay prediction,
        int verbosity = 0, IReadOnlyList<Mosh.Forwarding.ForwardSpec>? forwards = null,
        IReadOnlyList<Mosh.Forwarding.ForwardSpec>? remoteForwards = null, string? agent = null)
    {
        _forwarding = new ClientForwarding(forwards ?? [],
            line => _bar!.SetMessage(line, Now, lifetimeMs: NotificationBar.ForwardingMessageLifetimeMs), remoteForwards, agent);
        _verbosity = verbosity;
        _ip = ip;
        _port = port;
        _display = display;
        _escape = escape;
        _bar = new NotificationBar(Now);
        _bar.SetEscapeKeyName(escape.KeyName);
        _prediction = prediction;
        _overlays = [_prediction, _bar]; // the bar covers predictions on its row
        if (titlePrefix is not null)
        {
            _titlePrefix = new TitlePrefix(titlePrefix);
            _overlays.Add(_titlePrefix);
        }
        _connectingMessage = $"Nothing received from server on UDP port {port}.";
    }

    /// <summary>The protocol extensions this client understands and announces to the server.</summary>
    internal static WireCapabilities AnnouncedCapabilities =>
        WireCapabilities.History | WireCapabilities.SessionNotices | WireCapabilities.LargeClipboard;

    /// <summary>Where frames are painted: the user's terminal (tests paint elsewhere).</summary>
    internal int FrameOutputFd { get; init; } = UserTerminal.OutputFd;

    /// <summary>What this session announces: streams only when the user asked for forwarding.</summary>
    private WireCapabilities SessionCapabilities =>
        AnnouncedCapabilities | (_forwarding.Requested ? WireCapabilities.Streams : WireCapabilities.None)
        | (_forwarding.AsksServerToListen ? WireCapabilities.ListenRequests : WireCapabilities.None);

    private static long Now => MonotonicClock.Instance.NowMilliseconds;

    internal Transport<UserStream, CompleteTerminal> Transport => _network!;

    private bool StillConnecting => _network is not null && Transport.RemoteStateNum == 0;

    /// <summary>Takes over the terminal (raw mode, display open); <see cref="Shutdown"/> gives it back.</summary>
    public void Init()
    {
        _terminal = UserTerminal.Enter(_display.Open(), _display.Close());
    }

    /// <summary>Paints the blank first frame and opens the transport to the server for a window of this size.</summary>
    [MemberNotNull(nameof(_connection), nameof(_link), nameof(_network))]
    internal void Connect(SessionKey key, WindowSize window)
    {
        _localFramebuffer = new Framebuffer(Math.Max(1, (int)window.Columns), Math.Max(1, (int)window.Rows));
        WriteFrame(initialized: false, _localFramebuffer, _localFramebuffer);

        _connection = Connection.CreateClient(key, _ip, _port);
        _link = new TransportLink(_connection);
        _network = new Transport<UserStream, CompleteTerminal>(new UserStream(),
            CompleteTerminal.ForClient(_localFramebuffer.Width, _localFramebuffer.Height, _historyInbox, _forwarding.Inbox), _link, _link,
            MonotonicClock.Instance);
        Transport.SendMinDelay = TransportConstants.CLIENT_SEND_MINDELAY;
        if (_verbosity > 0)
        {
            // As upstream's client: the lines go to stderr, the user's terminal unless redirected.
            Action<string> trace = line => StandardStreams.WriteErrorText(line + "\n");
            Transport.TraceTo(_link, trace, MonotonicClock.Instance);
        }

        // Our extensions are announced first, inside the encrypted session (upstream's server skips the field).
        Transport.CurrentState.PushHello(SessionCapabilities);
        _forwarding.Start();
        Transport.CurrentState.PushResize(_localFramebuffer.Width, _localFramebuffer.Height);
        _lastWindowSent = window;
    }

    /// <summary>Runs until the session ends; true for a clean shutdown (both sides agreed).</summary>
    public bool Main(SessionKey key)
    {
        _signals = new SignalPipe(Signals.SIGWINCH, Signals.SIGTERM, Signals.SIGINT, Signals.SIGHUP, Signals.SIGCONT);
        Connect(key, Termios.GetWindowSize(UserTerminal.InputFd));
        SessionLoop.Run(Turn, OnNetworkError);
        return _cleanShutdown;
    }

    /// <summary>One turn of the <see cref="SessionLoop"/>: paint, wait, handle what woke us, tick; false to leave.</summary>
    private bool Turn()
    {
        try
        {
            OutputNewFrame();
            WaitForEvents();
            if (_forwardCount > 0)
            {
                _forwarding.Service(_pollSet.Slots(_forwardSlot, _forwardCount), Transport.CurrentState);
            }

            if (_pollSet.NetworkReady)
            {
                ProcessNetworkInput();
            }

            // Signals before keystrokes: a resize signalled in this wake-up goes out first, so the size check
            // in ProcessUserInput (which covers a SIGWINCH .NET has not delivered yet) finds nothing to resend.
            if (_pollSet.SignalsReady)
            {
                _signals!.Drain();
            }

            if (_signals!.Take(Signals.SIGWINCH))
            {
                ProcessResize();
            }

            if (_pollSet.IsReadReady(_inputSlot) && !ProcessUserInput() && !RequestShutdown("Exiting..."))
            {
                return false;
            }

            if (_signals.Take(Signals.SIGCONT))
            {
                Resume();
            }

            if ((_signals.Take(Signals.SIGTERM) | _signals.Take(Signals.SIGINT) | _signals.Take(Signals.SIGHUP))
                && !RequestShutdown("Signal received, shutting down..."))
            {
                return false;
            }

            SessionEnd end = SessionShutdown.Ended(Transport);
            if (end != SessionEnd.None)
            {
                _cleanShutdown = end != SessionEnd.AckTimedOut;
                return false;
            }

            ShowConnecting(Now);
            Send();
        }
        catch (CryptoException e)
        {
            OnCryptoException(e);
        }

        return true;
    }

    /// <summary>Builds this turn's poll set and waits on it until the next thing is due.</summary>
    private void WaitForEvents()
    {
        long wait = Math.Min(Math.Min(Transport.WaitTime(), _bar.WaitTime(Now)), _prediction.WaitTime());
        if (StillConnecting)
        {
            wait = Math.Min(wait, ConnectingWakeMs);
        }

        _pollSet.Begin(_signals!.Fd, _connection!.Sockets);

        // A negative descriptor is one poll skips: typing waits while the server is behind. Once shutdown has
        // started the local state is frozen (reading it throws) and input is read only to be dropped.
        bool takeInput = Transport.ShutdownInProgress || Transport.CurrentState.Count < UnacknowledgedInputLimit;
        _inputSlot = _pollSet.Add(takeInput ? UserTerminal.InputFd : -1, PollEvents.Readable);
        _forwardCount = Transport.ShutdownInProgress ? 0 : _forwarding.AddPollDescriptors(_pollSet.Room(_forwarding.DescriptorCount), 0);
        _forwardSlot = _pollSet.Added(_forwardCount);
        _pollSet.Wait(wait);
    }

    /// <summary>
    /// The user wants to leave: starts the shutdown handshake (with <paramref name="message"/> on the bar) unless it
    /// runs already; false when no server was ever heard, so there is nobody to tell and the client leaves now.
    /// </summary>
    private bool RequestShutdown(string message)
    {
        ShutdownRequest request = SessionShutdown.Request(Transport);
        if (request == ShutdownRequest.Started)
        {
            _bar.SetMessage(message, Now, permanent: true);
        }

        return request != ShutdownRequest.Leave;
    }

    /// <summary>Tells the user while the server has not answered yet, and gives up after a while.</summary>
    private void ShowConnecting(long now)
    {
        long silence = now - Transport.LatestRemoteState.Timestamp;
        if (StillConnecting && !Transport.ShutdownInProgress && silence > ConnectingWakeMs)
        {
            if (silence > ConnectTimeoutMs)
            {
                _bar.SetMessage("Timed out waiting for server...", now, permanent: true);
                Transport.StartShutdown();
            }
            else
            {
                _bar.SetMessage(_connectingMessage, now);
            }
        }
        else if (Transport.RemoteStateNum != 0 && _bar.Message == _connectingMessage)
        {
            _bar.SetMessage(string.Empty, now);
        }
    }

    /// <summary>Sends what is due; a send that failed shows on the bar until one succeeds.</summary>
    private void Send()
    {
        if (_forwarding.Requested && !Transport.ShutdownInProgress)
        {
            // Frames of stream data shrink on a lossy link, where a big frame is lost whole (and grow back).
            _forwarding.AdaptToLink(Transport.Sender.Timeouts, Transport.Sender.AcknowledgedStateNum, Transport.CurrentState);
        }

        Transport.Tick();
        if (_connection!.SendError is { } sendError)
        {
            _bar.SetNetworkError(sendError, Now);
        }
        else
        {
            _bar.ClearNetworkError(Now);
        }
    }

    /// <summary>As upstream's client: a send or receive failure is shown on the bar, and the loop pauses briefly.</summary>
    private void OnNetworkError(NetworkException e)
    {
        if (!Transport.ShutdownInProgress)
        {
            _bar.SetNetworkError(e.Message, Now);
        }

        Thread.Sleep(200);
    }

    /// <summary>
    /// What the loop does with a crypto failure, as upstream's client: a bad input is shown on the bar and the session
    /// goes on; a fatal one (the key's block budget or nonce space spent) ends the session, since nothing more can be
    /// sent safely under this key. <see cref="ClientMain"/> then prints it before <c>[mosh is exiting.]</c>.
    /// </summary>
    internal void OnCryptoException(CryptoException e)
    {
        if (e.Fatal)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(e);
        }

        _bar.SetMessage($"Crypto exception: {e.Message}", Now);
    }

    /// <summary>Printed when the session was attached by another client (<c>mosh-server attach</c>).</summary>
    internal const string TakenOverMessage = "mosh: session taken over by another client";

    /// <summary>The bar's current message (for tests).</summary>
    internal string BarMessage => _bar.Message;

    /// <summary>Clears the bar, paints the last frame, gives the terminal back and explains an unclean end.</summary>
    public void Shutdown()
    {
        if (_network is not null)
        {
            _bar.SetMessage(string.Empty, Now);
            _bar.ServerHeard(Now);
            _bar.ServerAcked(Now);
            if (_titlePrefix is not null)
            {
                _overlays.Remove(_titlePrefix);
            }

            OutputNewFrame();
        }

        _terminal?.Restore();
        if (StillConnecting)
        {
            StandardStreams.WriteErrorText($"\nmosh did not make a successful connection to {_ip}:{_port}.\n" +
                $"Please verify that UDP port {_port} is not firewalled and can reach the server.\n\n" +
                "(By default, mosh uses a UDP port between 60000 and 61000. The -p option\n" +
                "selects a specific UDP port number.)\n");
        }
        else if (_network is not null && Transport.LatestRemoteState.State.Notice == SessionNoticeKind.TakenOver)
        {
            StandardStreams.WriteErrorText(TakenOverMessage + "\n");
        }
        else if (_network is not null && !_cleanShutdown)
        {
            StandardStreams.WriteErrorText("\n\nmosh did not shut down cleanly. Please note that the\n" +
                "mosh-server process may still be running on the server.\n");
        }
    }

    public void Dispose()
    {
        _terminal?.Restore();
        _signals?.Dispose();
        _forwarding.Dispose();
        _link?.Dispose();
        _connection?.Dispose();
    }

    /// <summary>Composes the server's screen with the overlays and paints the difference from what is shown.</summary>
    internal void OutputNewFrame()
    {
        if (_network is null)
        {
            return;
        }

        CompleteTerminal remote = Transport.LatestRemoteState.State;
        if (!_historyMode && remote.Capabilities is { } capabilities && (capabilities & WireCapabilities.History) != 0)
        {
            _historyMode = true;
        }

        // History, a screen switch and the frame go to the terminal in one write: drawn in pieces, the terminal
        // (and anyone looking at it) could show history lines over the top rows until the frame repaints them.
        _frameOutput.ResetWrittenCount();
        if (_historyMode)
        {
            // Lines that scrolled off before a full-screen program started go in before the terminal leaves its
            // primary screen; lines held while on the alternate screen go in once it is back.
            AddHistory();
            FollowServerScreen(remote.AlternateScreen);
            AddHistory();
        }

        Framebuffer next = _composedFramebuffer;
        next.CopyFrom(remote.Framebuffer);
        long now = Now;
        foreach (IFrameOverlay overlay in _overlays)
        {
            overlay.Apply(next, now);
        }

        _display.NewFrame(!_repaintRequested, _localFramebuffer, next, _frameOutput);
        if (_frameOutput.WrittenCount != 0)
        {
            UserTerminal.WriteAll(FrameOutputFd, _frameOutput.WrittenSpan);
        }

        _repaintRequested = false;
        _composedFramebuffer = _localFramebuffer;
        _localFramebuffer = next;
    }

    /// <summary>
    /// The server keeps history for us: the user's terminal shows its primary screen (whose scrollback the history
    /// lines go into) while the server's does, and its alternate screen (smcup) while the server's does, so a
    /// full-screen program never leaves rows in the local scrollback (a resize, for one, pushes primary rows there).
    /// Without smcup/rmcup (or with --no-init) it stays on the primary screen. Each switch redraws the whole screen.
    /// </summary>
    private void FollowServerScreen(bool serverAlternate)
    {
        bool primary = !serverAlternate || _display.EnterCaMode is null || _display.ExitCaMode is null;
        if (primary == _display.PreserveScrollback)
        {
            return;
        }

        // Before history mode the display is on the alternate screen if it has one (as upstream's client is).
        string? sequence = primary ? _display.ExitCaMode : _display.EnterCaMode;
        _display.PreserveScrollback = primary;
        if (_terminal is not null)
        {
            _terminal.CloseSequence = _display.Close();
        }

        if (sequence is not null)
        {
            var writer = new DisplayWriter(_frameOutput);
            writer.WriteUtf8(sequence);
            writer.Commit();
        }

        _repaintRequested = true;
    }

    /// <summary>
    /// Adds the history lines that arrived to the output, for the user's terminal's scrollback, in order, once each;
    /// while it shows its alternate screen (which has no scrollback) they wait.
    /// </summary>
    private void AddHistory()
    {
        if (!_display.PreserveScrollback || _historyInbox.PendingCount == 0)
        {
            return;
        }

        while (_historyInbox.TryTake(out byte[] line))
        {
            _scrollback.Add(line, _localFramebuffer, _frameOutput);
        }

        _scrollback.Flush(_localFramebuffer, _frameOutput);
    }

    private void WriteFrame(bool initialized, Framebuffer last, Framebuffer next)
    {
        _frameOutput.ResetWrittenCount();
        _display.NewFrame(initialized, last, next, _frameOutput);
        if (_frameOutput.WrittenCount != 0)
        {
            UserTerminal.WriteAll(FrameOutputFd, _frameOutput.WrittenSpan);
        }
    }

    private void ProcessNetworkInput()
    {
        _link!.ReceiveWaiting(Transport);
        _bar.ServerHeard(Transport.LatestRemoteState.Timestamp);
        _bar.ServerAcked(Transport.SentStateAckedTimestamp);
        _prediction.NetworkProgress(Transport);
        if (!Transport.ShutdownInProgress)
        {
            // The local state is frozen once our shutdown has started: streams end with the session.
            _forwarding.AfterReceive(Transport.LatestRemoteState.State, Transport.RemoteStateNum, Transport.CurrentState);
        }
    }

    /// <summary>Reads the user's typing into the user stream; false at end of input.</summary>
    private unsafe bool ProcessUserInput()
    {
        nint read;
        fixed (byte* buffer = _inputBuffer)
        {
            read = LibC.Read(UserTerminal.InputFd, buffer, (nuint)_inputBuffer.Length);
        }

        if (read == 0)
        {
            return false;
        }

        if (read < 0)
        {
            int error = System.Runtime.InteropServices.Marshal.GetLastPInvokeError();
            if (error is LibC.EINTR or LibC.EAGAIN)
            {
                return true;
            }

            StandardStreams.WriteErrorText($"read: {System.Runtime.InteropServices.Marshal.GetPInvokeErrorMessage(error)}\n");
            return false;
        }

        if (Transport.ShutdownInProgress)
        {
            return true;
        }

        // .NET reports SIGWINCH from another thread, so it may come after keys typed into the resized window:
        // look at the size itself so a resize always goes out before those keys.
        ProcessResize(onlyIfChanged: true);
        _prediction.UserInput(_inputBuffer.AsSpan(0, (int)read), Transport, Now);
        UserStream keys = Transport.CurrentState;
        Span<byte> produced = stackalloc byte[2];
        foreach (byte b in _inputBuffer.AsSpan(0, (int)read))
        {
            EscapeEvent happened = _escape.Feed(b, produced, out int written);
            switch (happened)
            {
                case EscapeEvent.Quit:
                    // Shutdown cannot have started (input is dropped before this then): false only without a server.
                    return RequestShutdown("Exiting on user request...");
                case EscapeEvent.Suspend:
                    Suspend();
                    DismissHelp();
                    break;
                case EscapeEvent.CommandStarted:
                    _bar.SetMessage(_escape.HelpText!, Now, permanent: true, showQuitKeystroke: false);
                    break;
                case EscapeEvent.CommandEnded:
                    DismissHelp();
                    break;
                case EscapeEvent.Repaint:
                    _repaintRequested = true;
                    break;
            }

            keys.PushKeystrokes(produced[..written]);
            if (written > 0)
            {
                Transport.Expedite(); // ahead of the stream acknowledgements that keep frames busy during a transfer
            }
        }

        return true;
    }

    private void DismissHelp()
    {
        if (_bar.Message == _escape.HelpText)
        {
            _bar.SetMessage(string.Empty, Now);
        }
    }

    private void ProcessResize(bool onlyIfChanged = false)
    {
        if (!Termios.TryGetWindowSize(UserTerminal.InputFd, out WindowSize window)
            || (onlyIfChanged && window == _lastWindowSent))
        {
            return;
        }

        _prediction.Reset();
        if (!Transport.ShutdownInProgress)
        {
            Transport.CurrentState.PushResize(window.Columns, window.Rows);
            _lastWindowSent = window;
        }
    }

    /// <summary>Gives the terminal back, stops the process group, and takes the terminal again when continued.</summary>
    private void Suspend()
    {
        _terminal!.Restore();
        UserTerminal.Write("\n\e[37;44m[mosh is suspended.]\e[m\n");
        _ = LibC.Kill(0, Signals.SIGSTOP);
        Resume();
    }

    private void Resume()
    {
        _terminal!.EnterRaw(_display.Open());
        _repaintRequested = true;
    }
}
