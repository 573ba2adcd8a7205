using System.Buffers;
using Mosh.StateSync;

namespace Mosh.Tests.StateSync;

/// <summary>
/// A synchronised state for testing the sender's self-check: a growing log of bytes plus a note. Equality looks at
/// the log only, while the diffs (and so the init diff) carry the note too, as upstream's <c>Complete::compare</c>
/// looks at cells and cursor but its init diff also draws the title. A copy can be made lossy: its
/// <see cref="TryApply"/> then drops every <see cref="DroppedByte"/> or ignores the note.
/// </summary>
/// <remarks>Diff layout: note length (one byte), the note's bytes, then the log bytes the older state lacks.</remarks>
internal sealed class NotedLog : ISyncState<NotedLog>
{
    private readonly List<byte> _log = [];

    public string Note { get; set; } = "";

    /// <summary>A byte this state's <see cref="TryApply"/> loses; null loses nothing.</summary>
    public byte? DroppedByte { get; set; }

    /// <summary>Whether this state's <see cref="TryApply"/> ignores the note.</summary>
    public bool DropsNote { get; set; }

    public IReadOnlyList<byte> Log => _log;

    public void Append(ReadOnlySpan<byte> bytes)
    {
        foreach (byte b in bytes)
        {
            _log.Add(b);
        }
    }

    public NotedLog Clone()
    {
        var copy = new NotedLog { Note = Note, DroppedByte = DroppedByte, DropsNote = DropsNote };
        copy._log.AddRange(_log);
        return copy;
    }

    public void DiffFrom(NotedLog existing, IBufferWriter<byte> output)
    {
        if (existing.Equals(this) && existing.Note == Note)
        {
            return;
        }

        byte[] note = System.Text.Encoding.ASCII.GetBytes(Note);
        output.Write([(byte)note.Length]);
        output.Write(note);
        output.Write(_log.Skip(existing._log.Count).ToArray());
    }

    public void InitDiff(IBufferWriter<byte> output) => DiffFrom(new NotedLog(), output);

    public bool TryApply(ReadOnlySpan<byte> diff)
    {
        if (diff.IsEmpty)
        {
            return true;
        }

        int noteLength = diff[0];
        if (diff.Length < 1 + noteLength)
        {
            return false;
        }

        if (!DropsNote)
        {
            Note = System.Text.Encoding.ASCII.GetString(diff.Slice(1, noteLength));
        }

        foreach (byte b in diff[(1 + noteLength)..])
        {
            if (b != DroppedByte)
            {
                _log.Add(b);
            }
        }

        return true;
    }

    public void Subtract(NotedLog prefix)
    {
    }

    public bool Equals(NotedLog? other) => other is not null && _log.SequenceEqual(other._log);

    public override bool Equals(object? obj) => obj is NotedLog other && Equals(other);

    public override int GetHashCode() => _log.Count;
}
