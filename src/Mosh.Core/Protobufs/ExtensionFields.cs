namespace Mosh.Protobufs;

/// <summary>
/// Field numbers of our extensions inside <c>ClientBuffers.Instruction</c> and <c>HostBuffers.Instruction</c>
/// (both declare <c>extensions 2 to max</c>, and upstream's apply loops ignore an instruction whose only member they
/// do not know). The block 40-59 is ours; each field is a length-delimited sub-message, so any protobuf parser can
/// skip it. See doc/protocol-extensions.md.
/// </summary>
internal static class ExtensionFields
{
    public const int First = 40;
    public const int Last = 59;

    /// <summary>Both directions: <c>Hello { uint64 capabilities = 1 }</c> (client: what it understands; server: what it will use).</summary>
    public const int Hello = 40;

    /// <summary>Server to client: scrollback lines (<see cref="HistoryMessage"/>).</summary>
    public const int History = 41;

    /// <summary>Server to client: a session notice.</summary>
    public const int SessionNotice = 42;

    /// <summary>Both directions: stream frames (forwarding).</summary>
    public const int StreamFrames = 43;

    /// <summary>Server to client: large clipboard contents.</summary>
    public const int Clipboard = 44;

    public static bool IsExtension(int field) => field is >= First and <= Last;
}
