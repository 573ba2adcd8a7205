using System.Buffers;

namespace Mosh.StateSync;

/// <summary>
/// Buffers a diff is assembled in before it is length-prefixed into its instruction (the screen's escape sequences,
/// the history lines), shared by every state of one stream as its display is: one event loop, one diff at a time.
/// A frame of bulk output needs some 16 KiB; fresh buffers grew to it by doubling every frame.
/// </summary>
internal sealed class DiffScratch
{
    private const int InitialSize = 16 * 1024;

    private ArrayBufferWriter<byte>? _screen;
    private ArrayBufferWriter<byte>? _history;

    /// <summary>The screen update's bytes, emptied.</summary>
    public ArrayBufferWriter<byte> Screen() => Empty(ref _screen);

    /// <summary>The history message's body, emptied.</summary>
    public ArrayBufferWriter<byte> History() => Empty(ref _history);

    private static ArrayBufferWriter<byte> Empty(ref ArrayBufferWriter<byte>? buffer)
    {
        buffer ??= new ArrayBufferWriter<byte>(InitialSize);
        buffer.ResetWrittenCount();
        return buffer;
    }
}
