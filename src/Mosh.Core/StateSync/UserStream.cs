using System.Buffers;
using System.Diagnostics;
using Mosh.Protobufs;

namespace Mosh.StateSync;

/// <summary>
/// The client's state (upstream's <c>Network::UserStream</c>): the ordered events the user produced that the server
/// has not yet consumed. Keystroke bytes are kept contiguously and consecutive keystrokes form one run, so typing or
/// pasting appends to arrays (no per-keystroke allocation), the diff writes each run as one <c>Keystroke</c>
/// instruction straight from storage, and the server reads runs as spans.
/// </summary>
/// <remarks>
/// Both stores are deques over arrays: events leave from the front (<see cref="Subtract"/>, once acknowledged) and
/// arrive at the back. The run structure is canonical (adjacent keystroke runs are always merged), which makes
/// equality a comparison of the two stores.
/// <para>
/// Every state is a window of one stream, placed by the position of its first event (<see cref="Start"/>): rebasing
/// and diffs go by position, not by comparing contents. Upstream's streams only grow, so there the two agree; ours
/// does not always (a frame cut to <see cref="FrameBudget"/> after a timeout can be shorter than one sent before it),
/// and cutting a longer state's contents out of a shorter one left them counted from different points, so events
/// came twice. Both ends count positions from the same empty state 0 and a diff always extends its reference, so
/// the positions agree on both ends.
/// </para>
/// </remarks>
internal sealed class UserStream : ISyncState<UserStream>
{
    private const int InitialKeyCapacity = 64;
    private const int InitialRunCapacity = 8;

    private byte[] _keys;
    private int _keyStart;
    private int _keyEnd;

    private Run[] _runs;
    private int _runStart;
    private int _runEnd;

    public UserStream()
        : this(InitialKeyCapacity, InitialRunCapacity)
    {
    }

    private UserStream(int keyCapacity, int runCapacity)
    {
        _keys = keyCapacity == 0 ? [] : new byte[keyCapacity];
        _runs = runCapacity == 0 ? [] : new Run[runCapacity];
    }

    /// <summary>Number of events held: every keystroke byte and every resize counts one.</summary>
    public int Count { get; private set; }

    /// <summary>Position in the whole stream of the first event held (events before it were subtracted).</summary>
    public long Start { get; private set; }

    /// <summary>Position after the last event held: how far into the stream this state reaches.</summary>
    public long End => Start + Count;

    public bool IsEmpty => Count == 0;

    /// <summary>Bytes of stream-frame events not yet acknowledged: the client's forwarding stops reading at a bound.</summary>
    public int StreamBytes { get; private set; }

    /// <summary>The event at <paramref name="index"/> (walks the runs; meant for inspection, not hot loops).</summary>
    public UserEvent this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfNegative(index);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
            int keyOffset = _keyStart;
            foreach (ref readonly Run run in Runs)
            {
                int length = run.EventCount;
                if (index < length)
                {
                    return run.Kind switch
                    {
                        UserEventKind.Resize => UserEvent.ForResize(run.Width, run.Height),
                        UserEventKind.Hello => UserEvent.ForHello(run.Capabilities),
                        UserEventKind.StreamFrames => new UserEvent(UserEventKind.StreamFrames, 0, 0, 0),
                        _ => UserEvent.ForKey(_keys[keyOffset + index]),
                    };
                }

                index -= length;
                keyOffset += run.KeyCount;
            }

            throw new UnreachableException();
        }
    }

    private ReadOnlySpan<Run> Runs => _runs.AsSpan(_runStart, _runEnd - _runStart);

    private ReadOnlySpan<byte> Keys => _keys.AsSpan(_keyStart, _keyEnd - _keyStart);

    public void PushKeystroke(byte key) => PushKeystrokes(new ReadOnlySpan<byte>(in key));

    /// <summary>Appends typed bytes, extending the last run if it is a keystroke run.</summary>
    public void PushKeystrokes(ReadOnlySpan<byte> keys)
    {
        if (keys.IsEmpty)
        {
            return;
        }

        EnsureKeySpace(keys.Length);
        keys.CopyTo(_keys.AsSpan(_keyEnd));
        _keyEnd += keys.Length;
        if (_runEnd > _runStart && _runs[_runEnd - 1].IsKeystrokes)
        {
            _runs[_runEnd - 1].KeyCount += keys.Length;
        }
        else
        {
            AppendRun(new Run { Kind = UserEventKind.Keystroke, KeyCount = keys.Length });
        }

        Count += keys.Length;
    }

    public void PushResize(int width, int height)
    {
        AppendRun(new Run { Kind = UserEventKind.Resize, Width = width, Height = height });
        Count++;
    }

    /// <summary>
    /// Announces the protocol extensions this client understands (our extension, field 40). Pushed as the first
    /// event of a fresh stream, it is retransmitted like any event until the server acknowledges it; upstream's
    /// server skips it as an unknown extension.
    /// </summary>
    public void PushHello(WireCapabilities capabilities)
    {
        AppendRun(new Run { Kind = UserEventKind.Hello, Capabilities = capabilities });
        Count++;
    }

    /// <summary>
    /// Appends one event of stream frames (encoded StreamFrames entries, field 43), sent only to a server that
    /// answered <see cref="WireCapabilities.Streams"/>. The bytes live with the keystrokes but form their own run.
    /// </summary>
    public void PushStreamFrames(ReadOnlySpan<byte> entries)
    {
        if (entries.IsEmpty)
        {
            return;
        }

        EnsureKeySpace(entries.Length);
        entries.CopyTo(_keys.AsSpan(_keyEnd));
        _keyEnd += entries.Length;
        AppendRun(new Run { Kind = UserEventKind.StreamFrames, KeyCount = entries.Length });
        StreamBytes += entries.Length;
        Count++;
    }

    /// <summary>Forgets every event and its position (for a scratch stream reused to decode successive diffs).</summary>
    public void Clear()
    {
        ResetStorage();
        Start = 0;
    }

    private void ResetStorage()
    {
        _keyStart = _keyEnd = 0;
        _runStart = _runEnd = 0;
        Count = 0;
        StreamBytes = 0;
    }

    /// <summary>The events as maximal keystroke runs and single resizes, in order.</summary>
    public RunEnumerator GetEnumerator() => new(this);

    /// <summary>The keystroke bytes and runs a copy of this stream holds.</summary>
    public long HeldBytes => (_keyEnd - _keyStart) + (long)(_runEnd - _runStart) * System.Runtime.CompilerServices.Unsafe.SizeOf<Run>();

    public UserStream Clone()
    {
        var copy = new UserStream(Math.Max(_keyEnd - _keyStart, 0), Math.Max(_runEnd - _runStart, 0));
        Keys.CopyTo(copy._keys);
        Runs.CopyTo(copy._runs);
        copy._keyEnd = _keyEnd - _keyStart;
        copy._runEnd = _runEnd - _runStart;
        copy.Count = Count;
        copy.Start = Start;
        copy.StreamBytes = StreamBytes;
        return copy;
    }

    /// <summary>
    /// Encodes the events past <paramref name="existing"/>'s end as a <c>ClientBuffers.UserMessage</c>: each
    /// keystroke run becomes one <c>Keystroke</c> instruction, each resize its own <c>ResizeMessage</c> instruction.
    /// Nothing when this state does not reach further; everything held when it no longer holds where
    /// <paramref name="existing"/> ends (the sender never diffs from such a state).
    /// </summary>
    public void DiffFrom(UserStream existing, IBufferWriter<byte> output) => WriteEventsFrom(HeldBefore(existing.End), output);

    public void InitDiff(IBufferWriter<byte> output) => WriteEventsFrom(0, output);

    /// <summary>Appends the events a diff carries; a malformed diff changes nothing.</summary>
    public bool TryApply(ReadOnlySpan<byte> diff)
    {
        if (!UserMessage.TryParse(diff, out UserMessage message))
        {
            return false;
        }

        foreach (UserInstruction instruction in message)
        {
            // As upstream: an instruction that (oddly) carries both is read as its keystroke.
            if (instruction.HasKeystroke)
            {
                PushKeystrokes(instruction.Keys);
            }
            else if (instruction.HasResize)
            {
                PushResize(instruction.Resize.Width, instruction.Resize.Height);
            }
            else if (instruction.ExtensionField == ExtensionFields.Hello
                && HelloMessage.TryParse(instruction.ExtensionBody, out WireCapabilities capabilities))
            {
                PushHello(capabilities);
            }
            else if (instruction.ExtensionField == ExtensionFields.StreamFrames
                && StreamFramesMessage.TryParse(instruction.ExtensionBody, out _, out ReadOnlySpan<byte> entries))
            {
                PushStreamFrames(entries);
            }
        }

        return true;
    }

    /// <summary>
    /// Removes the events before <paramref name="prefix"/>'s end (all of them when <paramref name="prefix"/> is this
    /// stream or reaches further); the position of what stays is kept.
    /// </summary>
    public void Subtract(UserStream prefix) => RemoveFront(HeldBefore(prefix.End));

    /// <summary>Whether <paramref name="other"/> reaches further into the stream than this state.</summary>
    public bool IsBehind(UserStream other) => End < other.End;

    /// <summary>Whether this state holds stream-frame events (forwarding data and acknowledgements) beyond the receiver's.</summary>
    public bool CarriesBulkBeyond(UserStream assumedReceiver) =>
        assumedReceiver.Start == Start
            ? StreamBytes > assumedReceiver.StreamBytes // the sender rebases its states together: no walk
            : StreamBytesFrom(HeldBefore(assumedReceiver.End)) > 0;

    /// <summary>How many of the held events lie before <paramref name="position"/>.</summary>
    private int HeldBefore(long position) => (int)Math.Clamp(position - Start, 0, Count);

    /// <summary>Stream-frame bytes in the held events from index <paramref name="skip"/> on.</summary>
    private int StreamBytesFrom(int skip)
    {
        if (skip == 0)
        {
            return StreamBytes;
        }

        int bytes = 0;
        int events = 0;
        foreach (ref readonly Run run in Runs)
        {
            if (run.Kind == UserEventKind.StreamFrames && events >= skip)
            {
                bytes += run.KeyCount;
            }

            events += run.EventCount;
        }

        return bytes;
    }

    /// <summary>
    /// Most stream-frame bytes one frame carries beyond the receiver's state (whole events, at least one); the client
    /// lowers it on a lossy link (<see cref="AdaptiveStreamBudget"/>), where a big frame is lost whole. Not copied by
    /// <see cref="Clone"/>: it belongs to the sender's current state.
    /// </summary>
    public int FrameBudget { get; set; } = int.MaxValue;

    /// <summary>
    /// This stream, or its prefix that stops before the stream-frame event that would take the bytes beyond
    /// <paramref name="assumedReceiver"/> past <see cref="FrameBudget"/>: the events after it (keystrokes too, as
    /// the order is the stream's) follow in the next frames at the frame rate.
    /// </summary>
    public UserStream FrameFor(UserStream assumedReceiver)
    {
        // Bytes beyond the receiver: when both start at the same point (the sender rebases them together) a difference.
        int beyondAtMost = StreamBytes - (assumedReceiver.Start == Start ? assumedReceiver.StreamBytes : 0);
        if (beyondAtMost <= FrameBudget)
        {
            return this; // the common case (no bulk, or little): nothing to walk
        }

        int common = HeldBefore(assumedReceiver.End);
        ReadOnlySpan<Run> runs = Runs;
        int events = 0;
        int beyond = 0;
        for (int i = 0; i < runs.Length; i++)
        {
            Run run = runs[i];
            if (run.Kind == UserEventKind.StreamFrames && events >= common)
            {
                if (beyond > 0 && beyond + run.KeyCount > FrameBudget)
                {
                    return Prefix(i);
                }

                beyond += run.KeyCount;
            }

            events += run.EventCount;
        }

        return this;
    }

    /// <summary>A copy of the first <paramref name="runCount"/> runs.</summary>
    private UserStream Prefix(int runCount)
    {
        ReadOnlySpan<Run> runs = Runs[..runCount];
        int keys = 0, count = 0, streamBytes = 0;
        foreach (Run run in runs)
        {
            keys += run.KeyCount;
            count += run.EventCount;
            streamBytes += run.Kind == UserEventKind.StreamFrames ? run.KeyCount : 0;
        }

        var copy = new UserStream(keys, runCount);
        Keys[..keys].CopyTo(copy._keys);
        runs.CopyTo(copy._runs);
        copy._keyEnd = keys;
        copy._runEnd = runCount;
        copy.Count = count;
        copy.Start = Start;
        copy.StreamBytes = streamBytes;
        return copy;
    }

    public bool Equals(UserStream? other) =>
        other is not null
        && (ReferenceEquals(this, other)
            || (Start == other.Start && Count == other.Count && Runs.SequenceEqual(other.Runs) && Keys.SequenceEqual(other.Keys)));

    public override bool Equals(object? obj) => obj is UserStream other && Equals(other);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Count);
        hash.AddBytes(Keys);
        return hash.ToHashCode();
    }

    private void WriteEventsFrom(int skip, IBufferWriter<byte> output)
    {
        int keyOffset = _keyStart;
        foreach (ref readonly Run run in Runs)
        {
            int length = run.EventCount;
            if (skip >= length)
            {
                skip -= length;
                keyOffset += run.KeyCount;
                continue;
            }

            if (run.Kind == UserEventKind.Resize)
            {
                _ = UserInstruction.ForResize(run.Width, run.Height).WriteTo(output);
            }
            else if (run.Kind == UserEventKind.Hello)
            {
                WriteHello(run.Capabilities, output);
            }
            else if (run.Kind == UserEventKind.StreamFrames)
            {
                WriteStreamFrames(_keys.AsSpan(keyOffset, run.KeyCount), output);
                keyOffset += run.KeyCount;
            }
            else
            {
                // Only the first run written can start part-way (the rest of a partly acknowledged paste).
                ReadOnlySpan<byte> keys = _keys.AsSpan(keyOffset + skip, run.KeyCount - skip);
                _ = UserInstruction.ForKeystroke(keys).WriteTo(output);
                keyOffset += run.KeyCount;
            }

            skip = 0;
        }
    }

    private static void WriteHello(WireCapabilities capabilities, IBufferWriter<byte> output)
    {
        Span<byte> body = stackalloc byte[HelloMessage.MaxSize];
        int length = HelloMessage.Write(capabilities, body);
        _ = UserInstruction.ForExtension(ExtensionFields.Hello, body[..length]).WriteTo(output);
    }

    private static void WriteStreamFrames(ReadOnlySpan<byte> entries, IBufferWriter<byte> output)
    {
        var body = new ArrayBufferWriter<byte>(entries.Length + 16);
        StreamFramesMessage.Write(null, entries, body);
        _ = UserInstruction.ForExtension(ExtensionFields.StreamFrames, body.WrittenSpan).WriteTo(output);
    }

    private void RemoveFront(int events)
    {
        Debug.Assert(events <= Count);
        Count -= events;
        Start += events;
        while (events > 0)
        {
            ref Run run = ref _runs[_runStart];
            int length = run.EventCount;
            if (length <= events)
            {
                events -= length;
                _keyStart += run.KeyCount;
                if (run.Kind == UserEventKind.StreamFrames)
                {
                    StreamBytes -= run.KeyCount;
                }

                _runStart++;
            }
            else
            {
                run.KeyCount -= events;
                _keyStart += events;
                events = 0;
            }
        }

        if (_runStart == _runEnd)
        {
            ResetStorage(); // reuse the arrays from the start
        }
    }

    private void AppendRun(Run run)
    {
        if (_runEnd == _runs.Length)
        {
            _runs = MakeRoom(_runs, ref _runStart, ref _runEnd, 1, InitialRunCapacity);
        }

        _runs[_runEnd++] = run;
    }

    private void EnsureKeySpace(int needed)
    {
        if (_keys.Length - _keyEnd < needed)
        {
            _keys = MakeRoom(_keys, ref _keyStart, ref _keyEnd, needed, InitialKeyCapacity);
        }
    }

    /// <summary>Slides the live range to the front, growing the array only when that does not free enough room.</summary>
    private static T[] MakeRoom<T>(T[] array, ref int start, ref int end, int needed, int minimumCapacity)
    {
        int live = end - start;
        T[] target = array;
        if (array.Length - live < needed)
        {
            target = new T[Math.Max(Math.Max(array.Length * 2, live + needed), minimumCapacity)];
        }

        Array.Copy(array, start, target, 0, live);
        start = 0;
        end = live;
        return target;
    }

    /// <summary>
    /// A keystroke run (<see cref="KeyCount"/> &gt; 0 bytes), a resize, a hello or a stream-frames event (one event
    /// each; the last keeps its <see cref="KeyCount"/> bytes with the keystrokes).
    /// </summary>
    private struct Run : IEquatable<Run>
    {
        public UserEventKind Kind;
        public int KeyCount;
        public int Width;
        public int Height;
        public WireCapabilities Capabilities;

        public readonly bool IsKeystrokes => Kind == UserEventKind.Keystroke;

        public readonly int EventCount => IsKeystrokes ? KeyCount : 1;

        public readonly bool Equals(Run other) =>
            Kind == other.Kind && KeyCount == other.KeyCount && Width == other.Width && Height == other.Height
            && Capabilities == other.Capabilities;

        public override readonly bool Equals(object? obj) => obj is Run other && Equals(other);

        public override readonly int GetHashCode() => HashCode.Combine(Kind, KeyCount, Width, Height, Capabilities);
    }

    /// <summary>Enumerates <see cref="UserEventRun"/>s without allocating.</summary>
    internal ref struct RunEnumerator
    {
        private readonly UserStream _stream;
        private int _run;
        private int _keyOffset;
        private int _nextKeyOffset;

        internal RunEnumerator(UserStream stream)
        {
            _stream = stream;
            _run = stream._runStart - 1;
            _nextKeyOffset = stream._keyStart;
        }

        public readonly UserEventRun Current
        {
            get
            {
                Run run = _stream._runs[_run];
                return run.Kind switch
                {
                    UserEventKind.Resize => new UserEventRun(run.Width, run.Height),
                    UserEventKind.Hello => new UserEventRun(run.Capabilities),
                    UserEventKind.StreamFrames => new UserEventRun(UserEventKind.StreamFrames, _stream._keys.AsSpan(_keyOffset, run.KeyCount)),
                    _ => new UserEventRun(_stream._keys.AsSpan(_keyOffset, run.KeyCount)),
                };
            }
        }

        public bool MoveNext()
        {
            if (_run + 1 >= _stream._runEnd)
            {
                return false;
            }

            _run++;
            _keyOffset = _nextKeyOffset;
            _nextKeyOffset += _stream._runs[_run].KeyCount;
            return true;
        }
    }
}
