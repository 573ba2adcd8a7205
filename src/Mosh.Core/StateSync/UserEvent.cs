namespace Mosh.StateSync;

/// <summary>What a <see cref="UserEvent"/> or <see cref="UserEventRun"/> carries.</summary>
internal enum UserEventKind : byte
{
    /// <summary>Bytes the user typed (upstream's <c>Parser::UserByte</c>).</summary>
    Keystroke,

    /// <summary>A window size change (upstream's <c>Parser::Resize</c>).</summary>
    Resize,
}

/// <summary>One event of a <see cref="UserStream"/>: a single typed byte or a resize.</summary>
internal readonly record struct UserEvent(UserEventKind Kind, byte Key, int Width, int Height)
{
    public static UserEvent ForKey(byte key) => new(UserEventKind.Keystroke, key, 0, 0);

    public static UserEvent ForResize(int width, int height) => new(UserEventKind.Resize, 0, width, height);
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

    public UserEventKind Kind { get; }

    /// <summary>The typed bytes of a keystroke run; empty for a resize.</summary>
    public ReadOnlySpan<byte> Keys { get; }

    public int Width { get; }

    public int Height { get; }
}
