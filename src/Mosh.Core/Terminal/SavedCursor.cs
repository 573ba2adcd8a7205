namespace Mosh.Terminal;

/// <summary>What DECSC saves and DECRC restores (character-set state is not kept, as upstream).</summary>
internal struct SavedCursor
{
    public int Column;
    public int Row;
    public Renditions Renditions;
    public bool AutoWrapMode;
    public bool OriginMode;

    /// <summary>The state before any DECSC: home, default renditions, autowrap on, origin mode off.</summary>
    public static SavedCursor Initial => new() { AutoWrapMode = true };
}
