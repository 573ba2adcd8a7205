using System.Buffers;
using System.Runtime.CompilerServices;
using Mosh.Protobufs;
using Mosh.Terminal;

namespace Mosh.StateSync;

/// <summary>
/// The state the server synchronises to the client (upstream's <c>Terminal::Complete</c>): the screen of a terminal
/// emulator plus the echo acknowledgement, the newest client state whose keystrokes the application has had
/// <see cref="ECHO_TIMEOUT"/> ms to echo (the client's prediction engine confirms its guesses against it).
/// </summary>
/// <remarks>
/// The diff is a <c>HostBuffers.HostMessage</c>: an echo ack if it changed, a resize if the size changed, and the
/// escape sequences that redraw the older screen into this one (<see cref="Display.ForServer"/>). Applying a diff runs
/// those sequences through this state's own emulator, so the client rebuilds the same screen. Snapshots (the
/// transport's <see cref="Clone"/>s) share rows copy-on-write and get an emulator only when changed.
/// </remarks>
internal sealed partial class CompleteTerminal : ISyncState<CompleteTerminal>
{
    /// <summary>ms an application has to echo input before the input's frame is acknowledged as echoed.</summary>
    public const int ECHO_TIMEOUT = 50;

    /// <summary>
    /// Largest width or height accepted from the peer. Upstream's 4 MiB (2048 x 2048) decompression buffer already
    /// bounds what a screen can be; beyond it a resize is hostile or broken and is ignored rather than allocated.
    /// </summary>
    public const int MaxDimension = 2048;

    /// <summary>Whether a window size from the peer is one a terminal can have.</summary>
    public static bool IsAcceptableSize(int width, int height) =>
        width is > 0 and <= MaxDimension && height is > 0 and <= MaxDimension;

    /// <summary>Shared by every state of one stream: the server display's scratch buffers (one event loop).</summary>
    private readonly Display _display;

    /// <summary>Shared like <see cref="_display"/>: the buffers diffs are assembled in.</summary>
    private readonly DiffScratch _scratch;

    private Emulator? _emulator;
    private Framebuffer _framebuffer;
    private ulong _echoAck;

    /// <summary>Whether the server has answered a client's hello (field 40); never for upstream's client.</summary>
    private bool _helloAnswered;

    /// <summary>The extensions in use: what the client announced and the server supports (the ServerHello's bits).</summary>
    private WireCapabilities _capabilities;

    /// <summary>What the session tells its client beyond the screen (field 42), e.g. that it was taken over.</summary>
    private SessionNoticeKind _notice;

    /// <summary>
    /// Server: the session's scrollback, shared by the live terminal (which records into it) and its snapshots;
    /// null when history is off and on the client.
    /// </summary>
    private readonly HistoryRing? _history;

    /// <summary>Client: where received scrollback lines go (shared by every copy of the remote state); null on the server.</summary>
    private readonly HistoryInbox? _inbox;

    /// <summary>The live server terminal: its history end is the ring's, and it records rows scrolled off.</summary>
    private bool _recording;

    /// <summary>How many scrollback lines (by absolute number) this state holds; see <see cref="HistoryEnd"/>.</summary>
    private ulong _historyEnd;

    /// <summary>A snapshot's or the client's <see cref="AlternateScreen"/> (the client's as the last History said).</summary>
    private bool _alternateScreen;

    /// <summary>Server: the stream frames sent to the client (forwarding), shared with every snapshot; null on the client.</summary>
    private readonly StreamLog? _streamLog;

    /// <summary>Client: where received stream frames go (shared by every copy of the remote state); null on the server.</summary>
    private readonly StreamInbox? _streamInbox;

    /// <summary>The live server terminal, whose stream end is the log's.</summary>
    private bool _streamLive;

    /// <summary>How much of the server's stream log (by absolute offset) this state holds; see <see cref="StreamEnd"/>.</summary>
    private ulong _streamEnd;

    /// <summary>Client: where pieces of a large clipboard (field 44) are put together; null on the server.</summary>
    private readonly ClipboardInbox? _clipboardInbox;

    /// <summary>
    /// Server: the large clipboard whose pieces were sent last, shared by every snapshot, so a verbose server's
    /// self-check can rebuild a state from a diff that carries only the first piece of it.
    /// </summary>
    private readonly StrongBox<(ulong Serial, string Text)> _lastLargeClipboard;

    /// <summary>
    /// Server: how many bytes of a large clipboard this snapshot carries when a frame was cut short of it
    /// (<see cref="FrameFor"/>); -1 for all of it.
    /// </summary>
    private long _clipboardCut = -1;

    /// <summary>Client frame numbers that carried input, with when they arrived (server side), oldest first.</summary>
    private List<(ulong Frame, long Timestamp)> _inputHistory;

    public CompleteTerminal(int width, int height)
        : this(new Emulator(width, height), Display.ForServer())
    {
    }

    private CompleteTerminal(Emulator emulator, Display display, HistoryRing? history = null, HistoryInbox? inbox = null,
        StreamLog? streamLog = null, StreamInbox? streamInbox = null, ClipboardInbox? clipboardInbox = null)
    {
        _clipboardInbox = clipboardInbox;
        _lastLargeClipboard = new StrongBox<(ulong, string)>((0, string.Empty));
        _streamLog = streamLog;
        _streamLive = streamLog is not null;
        _streamInbox = streamInbox;
        _emulator = emulator;
        _framebuffer = emulator.Framebuffer;
        _display = display;
        _scratch = new DiffScratch();
        _inputHistory = [];
        _history = history;
        _inbox = inbox;
        if (history is not null)
        {
            _recording = true;
            _framebuffer.ScrollbackSink = history;
        }
    }

    /// <summary>
    /// The server's terminal, recording the rows that scroll off the whole screen into <paramref name="history"/>
    /// (sent to a client that announced <see cref="WireCapabilities.History"/>).
    /// </summary>
    public static CompleteTerminal ForServer(int width, int height, HistoryRing? history, StreamLog? streamLog = null) =>
        new(new Emulator(width, height), Display.ForServer(), history, streamLog: streamLog);

    /// <summary>The client's initial remote state: scrollback lines that arrive go to <paramref name="inbox"/>.</summary>
    public static CompleteTerminal ForClient(int width, int height, HistoryInbox inbox, StreamInbox? streamInbox = null) =>
        new(new Emulator(width, height), Display.ForServer(), inbox: inbox, streamInbox: streamInbox, clipboardInbox: new ClipboardInbox());

    private CompleteTerminal(CompleteTerminal original)
    {
        _display = original._display;
        _scratch = original._scratch;
        _history = original._history;
        _inbox = original._inbox;
        _historyEnd = original.HistoryEnd;
        _alternateScreen = original.AlternateScreen;
        _streamLog = original._streamLog;
        _streamInbox = original._streamInbox;
        _streamEnd = original.StreamEnd;
        _clipboardInbox = original._clipboardInbox;
        _lastLargeClipboard = original._lastLargeClipboard;
        _clipboardCut = original._clipboardCut;
        _framebuffer = original._framebuffer.Clone();
        _echoAck = original._echoAck;
        _helloAnswered = original._helloAnswered;
        _capabilities = original._capabilities;
        _notice = original._notice;
        _inputHistory = [.. original._inputHistory];
    }

    /// <summary>The screen. Callers must not change it (overlays work on a <see cref="Framebuffer.Clone"/>).</summary>
    public Framebuffer Framebuffer => _framebuffer;

    /// <summary>The newest client state number whose input has been given time to echo.</summary>
    public ulong EchoAck => _echoAck;

    /// <summary>
    /// The extensions both ends use, once the server has answered the client's hello; null before that and always
    /// with upstream's peers (upstream's client never announces, upstream's server never answers).
    /// </summary>
    public WireCapabilities? Capabilities => _helloAnswered ? _capabilities : null;

    /// <summary>
    /// Scrollback lines this state holds, by absolute number: the live server terminal has every line its history
    /// recorded once the client takes history, a snapshot what it had when taken (or what a frame carries), the
    /// client what the diffs brought. Without the capability it stays 0, so history never makes states differ.
    /// </summary>
    public ulong HistoryEnd => _recording && SendsHistory ? _history!.End : _historyEnd;

    /// <summary>
    /// The server's terminal shows its alternate screen (a full-screen program runs), so the client's terminal may
    /// show its own and keep such programs out of its scrollback. Carried in the History extension, so it is part of
    /// the state only toward a client that takes history: for anyone else it is false and never makes states differ.
    /// </summary>
    public bool AlternateScreen => _recording ? SendsHistory && _framebuffer.IsAlternateScreen : _alternateScreen;

    /// <summary>The server's scrollback; null when it keeps none (and on the client).</summary>
    public HistoryRing? History => _history;

    /// <summary>
    /// How much of the server's stream log this state holds: the live server terminal all of it once the client
    /// takes streams, a snapshot what it had when taken (or what a frame carries), the client what the diffs brought.
    /// </summary>
    public ulong StreamEnd => _streamLive && SendsStreams ? _streamLog!.End : _streamEnd;

    /// <summary>The server's outgoing stream log; null on the client.</summary>
    public StreamLog? StreamLog => _streamLog;

    private bool SendsStreams => _helloAnswered && (_capabilities & WireCapabilities.Streams) != 0;

    /// <summary>
    /// Most stream-log bytes one frame carries beyond the screen diff (and the history), so a bulk transfer never
    /// delays the screen: the rest follows at the frame rate. At least one entry always goes.
    /// </summary>
    public const int StreamFrameBudget = 48 * 1024;

    /// <summary>The session's notice to its client (<see cref="SessionNoticeKind.None"/> unless one was sent).</summary>
    public SessionNoticeKind Notice => _notice;

    /// <summary>
    /// A snapshot of this state carrying <paramref name="notice"/>, sent only to a client that announced
    /// <see cref="WireCapabilities.SessionNotices"/> (for anyone else it changes nothing on the wire).
    /// </summary>
    public CompleteTerminal WithNotice(SessionNoticeKind notice)
    {
        CompleteTerminal copy = Clone();
        copy._notice = SendsNotices ? notice : SessionNoticeKind.None;
        return copy;
    }

    private bool SendsNotices => _helloAnswered && (_capabilities & WireCapabilities.SessionNotices) != 0;

    private bool SendsHistory => _helloAnswered && (_capabilities & WireCapabilities.History) != 0;

    private bool SendsClipboard => _helloAnswered && (_capabilities & WireCapabilities.LargeClipboard) != 0;

    /// <summary>Whether the clipboard goes through field 44: the client takes it and upstream's framing would cut it.</summary>
    private bool HasLargeClipboard => SendsClipboard && _framebuffer.Clipboard.Length > Emulator.UpstreamClipboardLength;

    /// <summary>How many bytes of its large clipboard (field 44) this state holds; 0 without one.</summary>
    public long ClipboardEnd => !HasLargeClipboard ? 0 : _clipboardCut >= 0 ? _clipboardCut : _framebuffer.ClipboardUtf8.Length;

    /// <summary>Where a receiver holding <paramref name="existing"/> stands in this state's large clipboard.</summary>
    private long ClipboardFrom(CompleteTerminal existing) =>
        existing._framebuffer.ClipboardSerial == _framebuffer.ClipboardSerial ? existing.ClipboardEnd : 0;

    /// <summary>
    /// Most bytes of a large clipboard one frame carries beyond the screen diff, so a big copy never delays the
    /// screen: the rest follows at the frame rate.
    /// </summary>
    public const int ClipboardFrameBudget = 32 * 1024;

    /// <summary>
    /// Most scrollback bytes one frame carries beyond the screen diff, so history follows the screen instead of
    /// delaying it; at least one line always goes. A frame that carries scrollback alone (the screen unchanged, as in
    /// the catch-up after a flood) goes at half the frame rate (<see cref="OnlyBackgroundBeyond"/>), so the catch-up
    /// keeps the pace 8 KiB a frame interval gave it, in half the frames: for 10,000 coloured lines the server's CPU
    /// for the catch-up fell by 14 % and its bytes by 11 % (each frame's overhead, and deflate starting afresh).
    /// </summary>
    public const int HistoryFrameBudget = 16 * 1024;

    /// <summary>
    /// Server side: the client announced <paramref name="announced"/>; from now on the state carries a ServerHello
    /// with the extensions both sides have, and only those are ever sent. A later hello (a new client) replaces it.
    /// </summary>
    public void AnswerHello(WireCapabilities announced, WireCapabilities supported)
    {
        _helloAnswered = true;
        _capabilities = announced & supported;
    }

    /// <summary>Replies to the application (DA, DSR) and translated keystrokes waiting to be written to the pty.</summary>
    public ReadOnlySpan<byte> TerminalToHost => _emulator is null ? [] : _emulator.TerminalToHost;

    public void ClearTerminalToHost() => _emulator?.ClearTerminalToHost();

    /// <summary>Runs the application's output through the emulator.</summary>
    public void Write(ReadOnlySpan<byte> hostOutput) => Live().Write(hostOutput);

    /// <summary>User keystrokes for the application (cursor keys translated unless DECCKM); read <see cref="TerminalToHost"/>.</summary>
    public void UserInput(ReadOnlySpan<byte> keystrokes) => Live().UserInput(keystrokes);

    /// <summary>
    /// The client's window changed size. A client that takes history writes it into its terminal's scrollback, and
    /// that terminal, resized, keeps the cursor's row on screen by saving top rows into the scrollback itself (and
    /// takes them back when it grows): the screen changes as that terminal's does, so those rows are neither lost
    /// nor sent again as history. For any other client, as upstream: rows are cut or added at the bottom.
    /// </summary>
    public void Resize(int width, int height) => Live().Resize(width, height, likeScrollbackTerminal: SendsHistory);

    /// <summary>The client state <paramref name="frame"/> carried input that arrived at <paramref name="now"/>.</summary>
    public void RegisterInputFrame(ulong frame, long now) => _inputHistory.Add((frame, now));

    /// <summary>
    /// Forgets the client's frame numbers (input history and echo ack): a new client, after an attach, numbers its
    /// states from 0 again, and an ack of the old client's numbers would confirm guesses it never made.
    /// </summary>
    public void ForgetClient()
    {
        _inputHistory.Clear();
        _echoAck = 0;
        // Its extensions too: the next client announces its own, and an upstream client must get none.
        _helloAnswered = false;
        _capabilities = WireCapabilities.None;
        _notice = SessionNoticeKind.None;
    }

    /// <summary>
    /// Advances the echo ack to the newest input frame at least <see cref="ECHO_TIMEOUT"/> ms old and forgets older
    /// frames. Returns whether the ack changed (the state then needs sending).
    /// </summary>
    public bool SetEchoAck(long now)
    {
        ulong newest = 0;
        foreach ((ulong frame, long timestamp) in _inputHistory)
        {
            if (timestamp <= now - ECHO_TIMEOUT)
            {
                newest = frame;
            }
        }

        int keep = 0;
        while (keep < _inputHistory.Count && _inputHistory[keep].Frame < newest)
        {
            keep++;
        }

        _inputHistory.RemoveRange(0, keep);
        bool changed = _echoAck != newest;
        _echoAck = newest;
        return changed;
    }

    /// <summary>ms until <see cref="SetEchoAck"/> has something new to acknowledge (int.MaxValue: nothing pending).</summary>
    public int WaitTime(long now)
    {
        if (_inputHistory.Count < 2)
        {
            return int.MaxValue;
        }

        long due = _inputHistory[1].Timestamp + ECHO_TIMEOUT;
        return due <= now ? 0 : (int)Math.Min(due - now, int.MaxValue);
    }

    public CompleteTerminal Clone() => new(this);

    public void DiffFrom(CompleteTerminal existing, IBufferWriter<byte> output)
    {
        if (_helloAnswered && (!existing._helloAnswered || existing._capabilities != _capabilities))
        {
            Span<byte> body = stackalloc byte[HelloMessage.MaxSize];
            int length = HelloMessage.Write(_capabilities, body);
            _ = HostInstruction.ForExtension(ExtensionFields.Hello, body[..length]).WriteTo(output);
        }

        if (existing._echoAck != _echoAck)
        {
            _ = HostInstruction.ForEchoAck(_echoAck).WriteTo(output);
        }

        if (_notice != existing._notice && _notice != SessionNoticeKind.None && SendsNotices)
        {
            Span<byte> body = stackalloc byte[SessionNoticeMessage.MaxSize];
            int length = SessionNoticeMessage.Write(_notice, body);
            _ = HostInstruction.ForExtension(ExtensionFields.SessionNotice, body[..length]).WriteTo(output);
        }

        Framebuffer old = existing._framebuffer;
        if (!old.Equals(_framebuffer))
        {
            DiffScreen(old, output);
        }

        // The screen first: history and then stream data travel behind it in the same frame.
        WriteHistory(existing, output);
        WriteStreams(existing.StreamEnd, output);
        WriteClipboard(ClipboardFrom(existing), output);
    }

    /// <summary>Bytes <paramref name="from"/>..<see cref="ClipboardEnd"/> of the large clipboard as one Clipboard instruction.</summary>
    private void WriteClipboard(long from, IBufferWriter<byte> output)
    {
        long end = ClipboardEnd;
        if (end <= from)
        {
            return;
        }

        _lastLargeClipboard.Value = (_framebuffer.ClipboardSerial, _framebuffer.Clipboard);
        byte[] contents = _framebuffer.ClipboardUtf8;
        var piece = new ClipboardMessage(_framebuffer.ClipboardSerial, (ulong)from, (ulong)contents.Length, contents.AsSpan((int)from, (int)(end - from)));
        byte[] body = ArrayPool<byte>.Shared.Rent(piece.Size);
        int length = piece.WriteTo(body);
        _ = HostInstruction.ForExtension(ExtensionFields.Clipboard, body.AsSpan(0, length)).WriteTo(output);
        ArrayPool<byte>.Shared.Return(body);
    }

    /// <summary>The stream log between <paramref name="from"/> and <see cref="StreamEnd"/>, as one StreamFrames instruction.</summary>
    private void WriteStreams(ulong from, IBufferWriter<byte> output)
    {
        ulong end = StreamEnd;
        if (_streamLog is null || !SendsStreams || end <= from)
        {
            return;
        }

        ReadOnlySpan<byte> entries = _streamLog.Slice(from, end);
        var body = new ArrayBufferWriter<byte>(entries.Length + 16);
        StreamFramesMessage.Write(Math.Max(from, _streamLog.First), entries, body);
        _ = HostInstruction.ForExtension(ExtensionFields.StreamFrames, body.WrittenSpan).WriteTo(output);
    }

    private void DiffScreen(Framebuffer old, IBufferWriter<byte> output)
    {
        if (old.Width != _framebuffer.Width || old.Height != _framebuffer.Height)
        {
            _ = HostInstruction.ForResize(_framebuffer.Width, _framebuffer.Height).WriteTo(output);
        }

        ArrayBufferWriter<byte> update = _scratch.Screen();
        _display.LargeClipboardSentElsewhere = SendsClipboard;
        _display.NewFrame(true, old, _framebuffer, update);
        if (update.WrittenCount != 0)
        {
            _ = HostInstruction.ForHostBytes(update.WrittenSpan).WriteTo(output);
        }
    }

    /// <summary>
    /// Lines between <paramref name="from"/> and <see cref="HistoryEnd"/> the ring still has, and which screen is
    /// shown, as one History instruction: sent when either changed from what <paramref name="existing"/> holds.
    /// </summary>
    private void WriteHistory(CompleteTerminal existing, IBufferWriter<byte> output)
    {
        ulong from = existing.HistoryEnd;
        ulong end = HistoryEnd;
        bool alternate = AlternateScreen;
        if (_history is null || !SendsHistory || (end <= from && alternate == existing.AlternateScreen))
        {
            return;
        }

        // Lines the ring no longer has are skipped (the client sees a gap); with none left, the message still moves
        // the client's history end, so both ends agree on the state.
        ulong first = Math.Min(end, Math.Max(from, _history.First));
        ArrayBufferWriter<byte> body = _scratch.History();
        HistoryMessage.WriteFirst(first, body);
        for (ulong number = first; number < end; number++)
        {
            HistoryMessage.WriteLine(_history[number], body);
        }

        HistoryMessage.WriteAlternateScreen(alternate, body);

        _ = HostInstruction.ForExtension(ExtensionFields.History, body.WrittenSpan).WriteTo(output);
    }

    /// <summary>
    /// This state, or a snapshot of it whose history stops where <see cref="HistoryFrameBudget"/> bytes of lines
    /// beyond <paramref name="assumedReceiver"/>'s are used up (the rest follows in the next frames).
    /// </summary>
    public CompleteTerminal FrameFor(CompleteTerminal assumedReceiver)
    {
        ulong historyCut = HistoryCut(assumedReceiver);
        ulong streamCut = StreamCut(assumedReceiver);
        long clipboardEnd = ClipboardEnd;
        long clipboardCut = Math.Min(clipboardEnd, ClipboardFrom(assumedReceiver) + ClipboardFrameBudget);
        if (historyCut == HistoryEnd && streamCut == StreamEnd && clipboardCut == clipboardEnd)
        {
            return this;
        }

        CompleteTerminal frame = Clone();
        frame._historyEnd = historyCut;
        frame._streamEnd = streamCut;
        if (clipboardCut != clipboardEnd)
        {
            frame._clipboardCut = clipboardCut;
        }

        return frame;
    }

    /// <summary>The frame <see cref="FrameFor"/> makes (every per-frame budget applied), with no stream data the receiver lacks.</summary>
    public CompleteTerminal? InteractiveFrameFor(CompleteTerminal assumedReceiver)
    {
        if (StreamEnd <= assumedReceiver.StreamEnd)
        {
            return null;
        }

        CompleteTerminal frame = FrameFor(assumedReceiver);
        if (ReferenceEquals(frame, this))
        {
            frame = Clone();
        }

        frame._streamEnd = assumedReceiver.StreamEnd;
        return frame;
    }

    public bool CarriesBulkBeyond(CompleteTerminal assumedReceiver) => StreamEnd > assumedReceiver.StreamEnd;

    /// <summary>Where this frame's stream data stops: the log's frame budget past the receiver's end.</summary>
    private ulong StreamCut(CompleteTerminal assumedReceiver)
    {
        ulong end = StreamEnd;
        ulong from = assumedReceiver.StreamEnd;
        if (_streamLog is null || end <= from)
        {
            return end;
        }

        return _streamLog.CutAt(from, end, _streamLog.FrameBudget);
    }

    private ulong HistoryCut(CompleteTerminal assumedReceiver)
    {
        ulong end = HistoryEnd;
        ulong from = assumedReceiver.HistoryEnd;
        if (_history is null || end <= from)
        {
            return end;
        }

        // While output fills the history faster than frames carry it away (it grew by more than a frame's budget since
        // the last frame, and the ring has already dropped lines the receiver lacks, so it sees a gap whatever is sent
        // now), lines sent now would only be overtaken by newer ones: they would cost the server, the client and the
        // user's terminal work that competes with the output itself. The frame carries the screen alone, and the
        // newest lines follow once the output slows to what frames carry.
        ulong lastEnd = _history.EndAtLastFrame;
        _history.EndAtLastFrame = end;
        if (from < _history.First && FirstPastFrameBudget(Math.Max(lastEnd, _history.First), end) < end)
        {
            return from;
        }

        // At least one line goes, however long.
        ulong start = Math.Max(from, _history.First);
        return Math.Max(FirstPastFrameBudget(start, end), Math.Min(start + 1, end));
    }

    /// <summary>
    /// The history lines <see cref="DiffFrom"/>(<paramref name="existing"/>) must carry, by their stored size (never
    /// more than they take on the wire), counted until <paramref name="enough"/>.
    /// </summary>
    public long DiffSizeAtLeast(CompleteTerminal existing, long enough)
    {
        ulong end = HistoryEnd;
        if (_history is null || !SendsHistory || end <= existing.HistoryEnd)
        {
            return 0;
        }

        long bytes = 0;
        for (ulong number = Math.Max(existing.HistoryEnd, _history.First); number < end && bytes < enough; number++)
        {
            bytes += HistoryMessage.LineSize(_history.Stored(number).Length);
        }

        return bytes;
    }

    /// <summary>
    /// The first history line from <paramref name="start"/> that takes the lines' bytes past one frame's budget, or
    /// <paramref name="end"/> when they all fit.
    /// </summary>
    private ulong FirstPastFrameBudget(ulong start, ulong end)
    {
        long bytes = 0;
        for (ulong number = start; number < end; number++)
        {
            bytes += HistoryMessage.LineSize(_history!.WireLength(number));
            if (bytes > HistoryFrameBudget)
            {
                return number;
            }
        }

        return end;
    }

    /// <summary>
    /// The diff from a blank terminal of this size that already holds this state's history and stream data: the
    /// verbose self-check compares two of these per frame, and re-encoding up to the whole history (megabytes) each
    /// time made <c>-v</c> unusable. Lines and stream entries never differ between states that agree on their ends,
    /// which <see cref="RoundTripsTo"/> compares.
    /// </summary>
    public void InitDiff(IBufferWriter<byte> output)
    {
        var blank = new CompleteTerminal(new Emulator(_framebuffer.Width, _framebuffer.Height), _display)
        {
            _historyEnd = HistoryEnd,
            _streamEnd = StreamEnd,
        };
        DiffFrom(blank, output);
    }

    /// <summary>
    /// Applies a server diff: host bytes through the emulator, resizes, the echo ack. A malformed message changes
    /// nothing; an echo ack never moves backwards.
    /// </summary>
    public bool TryApply(ReadOnlySpan<byte> diff)
    {
        if (!HostMessage.TryParse(diff, out HostMessage message))
        {
            return false;
        }

        foreach (HostInstruction instruction in message)
        {
            // As upstream: an instruction carrying several members is read as the first of these.
            if (instruction.HasHostBytes)
            {
                Emulator emulator = Live();
                emulator.Write(instruction.HostString);
                emulator.ClearTerminalToHost(); // the server never interrogates the client's terminal
            }
            else if (instruction.HasResize)
            {
                ResizeMessage resize = instruction.Resize;
                if (IsAcceptableSize(resize.Width, resize.Height))
                {
                    Live().Resize(resize.Width, resize.Height);
                }
            }
            else if (instruction.HasEchoAck)
            {
                _echoAck = Math.Max(_echoAck, instruction.EchoAckNum);
            }
            else if (instruction.ExtensionField == ExtensionFields.Hello
                && HelloMessage.TryParse(instruction.ExtensionBody, out WireCapabilities capabilities))
            {
                _helloAnswered = true;
                _capabilities = capabilities;
            }
            else if (instruction.ExtensionField == ExtensionFields.History)
            {
                ApplyHistory(instruction.ExtensionBody);
            }
            else if (instruction.ExtensionField == ExtensionFields.StreamFrames)
            {
                ApplyStreams(instruction.ExtensionBody);
            }
            else if (instruction.ExtensionField == ExtensionFields.Clipboard
                && ClipboardMessage.TryParse(instruction.ExtensionBody, out ClipboardMessage piece))
            {
                ApplyClipboard(piece);
            }
            else if (instruction.ExtensionField == ExtensionFields.SessionNotice
                && SessionNoticeMessage.TryParse(instruction.ExtensionBody, out SessionNoticeKind notice))
            {
                _notice = notice;
            }
        }

        return true;
    }

    /// <summary>
    /// Client: a piece of a large clipboard goes to the inbox, and the state takes the clipboard once it is whole.
    /// Server (its verbose self-check rebuilds a sent state from the diff): a snapshot takes a new large clipboard
    /// from the first piece (the text is the one last sent), or already holds the clipboard the piece continues, and
    /// now holds that much more of it.
    /// </summary>
    private void ApplyClipboard(in ClipboardMessage piece)
    {
        if (_clipboardInbox is not null)
        {
            if (_clipboardInbox.Offer(piece) is { } clipboard)
            {
                Live().Framebuffer.SetClipboard(clipboard);
            }
        }
        else if (piece.Serial != _framebuffer.ClipboardSerial && piece.Offset == 0 && _lastLargeClipboard.Value.Serial == piece.Serial)
        {
            Live().Framebuffer.SetClipboard(_lastLargeClipboard.Value.Text, piece.Serial);
            _clipboardCut = (long)piece.Total == piece.Data.Length ? -1 : piece.Data.Length;
        }
        else if (piece.Serial == _framebuffer.ClipboardSerial && piece.Total == (ulong)_framebuffer.ClipboardUtf8.Length
            && piece.Offset <= (ulong)ClipboardEnd && (ulong)piece.Data.Length <= piece.Total - piece.Offset)
        {
            long end = (long)piece.Offset + piece.Data.Length;
            _clipboardCut = end == (long)piece.Total ? -1 : Math.Max(end, ClipboardEnd);
        }
    }

    /// <summary>Takes in scrollback lines: the inbox gets the new ones, and this state now holds them.</summary>
    private void ApplyHistory(ReadOnlySpan<byte> body)
    {
        if (!HistoryMessage.TryParse(body, out HistoryMessage history))
        {
            return; // malformed: ignored, the rest of the diff still applies
        }

        ulong number = history.First;
        foreach (ReadOnlySpan<byte> line in history)
        {
            _inbox?.Offer(number, line);
            number++;
        }

        _historyEnd = Math.Max(_historyEnd, number);
        if (history.AlternateScreen is bool alternate)
        {
            _alternateScreen = alternate;
        }
    }

    /// <summary>Takes in stream frames: the inbox gets the new ones, and this state now holds the log up to their end.</summary>
    private void ApplyStreams(ReadOnlySpan<byte> body)
    {
        if (!StreamFramesMessage.TryParse(body, out ulong start, out ReadOnlySpan<byte> entries))
        {
            return; // malformed: ignored, the rest of the diff still applies
        }

        _streamInbox?.Offer(start, entries);
        _streamEnd = Math.Max(_streamEnd, start + (ulong)entries.Length);
    }

    /// <summary>The server forgets the stream frames the client has acknowledged (the screen has nothing to drop).</summary>
    public void Subtract(CompleteTerminal prefix)
    {
        if (!ReferenceEquals(prefix, this))
        {
            _streamLog?.DropBefore(prefix.StreamEnd);
        }
    }

    public bool Equals(CompleteTerminal? other) =>
        other is not null && (ReferenceEquals(this, other) || (HistoryEnd == other.HistoryEnd && SameBesidesHistory(other)));

    public override bool Equals(object? obj) => obj is CompleteTerminal other && Equals(other);

    /// <summary>Whether this state has nothing beyond <paramref name="sent"/> but scrollback lines.</summary>
    public bool OnlyBackgroundBeyond(CompleteTerminal sent) => HistoryEnd > sent.HistoryEnd && SameBesidesHistory(sent);

    /// <summary>
    /// Everything <see cref="Equals(CompleteTerminal?)"/> compares but the history's end, the screen last (the dearest
    /// comparison): one list, so a part added to the state is both equal and not background in one place.
    /// </summary>
    private bool SameBesidesHistory(CompleteTerminal other) =>
        _echoAck == other._echoAck && _helloAnswered == other._helloAnswered && AlternateScreen == other.AlternateScreen
            && StreamEnd == other.StreamEnd && _notice == other._notice && ClipboardEnd == other.ClipboardEnd
            && _capabilities == other._capabilities && _framebuffer.Equals(other._framebuffer);

    public override int GetHashCode() => HashCode.Combine(_framebuffer.GetHashCode(), _echoAck);

    /// <summary>The emulator, created for a snapshot the first time it changes.</summary>
    private Emulator Live()
    {
        if (_emulator is null)
        {
            var emulator = new Emulator(_framebuffer.Width, _framebuffer.Height);
            emulator.Framebuffer.CopyFrom(_framebuffer);
            _emulator = emulator;
            _framebuffer = emulator.Framebuffer;
        }

        return _emulator;
    }
}
