using Mosh.Protobufs;

namespace Mosh.StateSync;

/// <summary>What a <see cref="UserEvent"/> or <see cref="UserEventRun"/> carries.</summary>
internal enum UserEventKind : byte
{
    /// <summary>Bytes the user typed (upstream's <c>Parser::UserByte</c>).</summary>
    Keystroke,

    /// <summary>A window size change (upstream's <c>Parser::Resize</c>).</summary>
    Resize,

    /// <summary>Our client's announcement of the protocol extensions it understands (not in upstream).</summary>
    Hello,

    /// <summary>Stream frames for the forwarding extension (field 43, not in upstream); the body is in <c>Keys</c>.</summary>
    StreamFrames,
}

/// <summary>One event of a <see cref="UserStream"/>: a single typed byte, a resize or a hello.</summary>
internal readonly record struct UserEvent(UserEventKind Kind, byte Key, int Width, int Height,
    WireCapabilities Capabilities = WireCapabilities.None)
{
    public static UserEvent ForKey(byte key) => new(UserEventKind.Keystroke, key, 0, 0);

    public static UserEvent ForResize(int width, int height) => new(UserEventKind.Resize, 0, width, height);

    public static UserEvent ForHello(WireCapabilities capabilities) => new(UserEventKind.Hello, 0, 0, 0, capabilities);
}

/// <summary>
/// A maximal run of consecutive keystrokes (<see cref="Keys"/> views the stream's storage) or one resize, as the
/// server consumes a <see cref="UserStream"/> and as the diff encodes it. Valid until the stream is next changed.
/// </summary>
internal readonly ref struct UserEventRun
{
    internal UserEventRun(ReadOnlySpan<byte> keys)
    {
        Kind = UserEventKind.Keystroke;
        Keys = keys;
    }

    internal UserEventRun(int width, int height)
    {
        Kind = UserEventKind.Resize;
        Width = width;
        Height = height;
    }

    internal UserEventRun(UserEventKind kind, ReadOnlySpan<byte> body)
    {
        Kind = kind;
        Keys = body;
    }

    internal UserEventRun(WireCapabilities capabilities)
    {
        Kind = UserEventKind.Hello;
        Capabilities = capabilities;
    }

    public UserEventKind Kind { get; }

    /// <summary>What a hello announced; none for the other kinds.</summary>
    public WireCapabilities Capabilities { get; }

    /// <summary>The typed bytes of a keystroke run, the entries of a stream-frames event; empty for a resize.</summary>
    public ReadOnlySpan<byte> Keys { get; }

    public int Width { get; }

    public int Height { get; }
}
