namespace Mosh.Protobufs;

/// <summary>
/// The protocol extensions a peer understands, announced in the hello instructions (field 40 of
/// <c>ClientBuffers.Instruction</c> and <c>HostBuffers.Instruction</c>; doc/protocol-extensions.md). A bit not
/// announced by the client is never used toward it; upstream mosh announces nothing and so gets nothing.
/// </summary>
[Flags]
internal enum WireCapabilities : uint
{
    None = 0,

    /// <summary>Scrollback lines in field 41 (server to client).</summary>
    History = 1,

    /// <summary>Session notices in field 42 (server to client), e.g. "taken over by another client".</summary>
    SessionNotices = 2,

    /// <summary>Stream frames in field 43 (both directions), for forwarding.</summary>
    Streams = 4,

    /// <summary>Large OSC 52 clipboard contents in field 44 (server to client).</summary>
    LargeClipboard = 8,

    /// <summary>
    /// Sent by a client only, with <see cref="Streams"/>: it will ask the server to listen (<c>-R</c>, <c>-A</c>) once
    /// the server's hello arrives and end its requests with ListenEnd, so the server starts the application only after
    /// those listeners exist (bounded): a first command that connects to them finds them.
    /// </summary>
    ListenRequests = 16,
}
