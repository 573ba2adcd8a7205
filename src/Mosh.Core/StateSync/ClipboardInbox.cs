using System.Text;
using Mosh.Protobufs;

namespace Mosh.StateSync;

/// <summary>
/// Client side of the clipboard extension (field 44): puts the pieces of the server's current large clipboard
/// together, shared by every copy of the remote state. Pieces come in order but may repeat (a diff from an older
/// state resends from where that state stood); a piece of a newer clipboard that starts at 0 replaces an
/// unfinished one; anything that does not continue what is held is ignored.
/// </summary>
internal sealed class ClipboardInbox
{
    /// <summary>Largest clipboard taken (UTF-8 bytes): beyond what any emulator keeps, so only a broken or hostile peer sends more.</summary>
    public const int MaxClipboardBytes = 8 * 1024 * 1024;

    private ulong _serial;
    private byte[] _buffer = [];
    private int _received;
    private string? _complete;

    /// <summary>
    /// Takes one piece. Returns the whole clipboard when this piece reaches its end (again, for a repeated last
    /// piece: the state the diff builds must hold it too), else null.
    /// </summary>
    public string? Offer(in ClipboardMessage piece)
    {
        if (piece.Total > MaxClipboardBytes || piece.Offset > piece.Total || (ulong)piece.Data.Length > piece.Total - piece.Offset)
        {
            return null;
        }

        int total = (int)piece.Total;
        int offset = (int)piece.Offset;
        if (piece.Serial != _serial || _buffer.Length != total)
        {
            if (offset != 0)
            {
                return null; // the start of that clipboard is missing
            }

            _serial = piece.Serial;
            _buffer = total == 0 ? [] : new byte[total];
            _received = 0;
            _complete = null;
        }

        if (offset > _received)
        {
            return null; // a gap: cannot happen with an honest server
        }

        int end = offset + piece.Data.Length;
        if (end > _received)
        {
            piece.Data[(_received - offset)..].CopyTo(_buffer.AsSpan(_received));
            _received = end;
        }

        if (end != total || _received != total)
        {
            return null;
        }

        return _complete ??= Encoding.UTF8.GetString(_buffer);
    }
}
