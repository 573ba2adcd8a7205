using Mosh.Protobufs;

namespace Mosh.Tests.Protobufs;

/// <summary>The clipboard extension's body (field 44): what is written is read back, unknown fields are skipped.</summary>
[TestFixture]
public class ClipboardMessageTests
{
    [Test]
    public void A_piece_reads_back_as_written_within_its_size()
    {
        byte[] data = new byte[40_000];
        new Random(7).NextBytes(data);
        var piece = new ClipboardMessage(ulong.MaxValue, 1_000_000, 8_000_000, data);
        byte[] body = new byte[piece.Size];
        int length = piece.WriteTo(body);

        Assert.That(ClipboardMessage.TryParse(body.AsSpan(0, length), out ClipboardMessage read), Is.True);
        Assert.That((read.Serial, read.Offset, read.Total), Is.EqualTo((ulong.MaxValue, 1_000_000UL, 8_000_000UL)));
        Assert.That(read.Data.SequenceEqual(data), Is.True);
    }

    [Test]
    public void Unknown_fields_are_skipped_and_a_truncated_body_is_refused()
    {
        byte[] body = [0x08, 0x05, 0x78, 0x01, 0x22, 0x02, 0x41, 0x42]; // serial 5, field 15 = 1, data "AB"
        Assert.That(ClipboardMessage.TryParse(body, out ClipboardMessage read), Is.True);
        Assert.That((read.Serial, read.Data.ToArray()), Is.EqualTo((5UL, "AB"u8.ToArray())));
        Assert.That(ClipboardMessage.TryParse(body.AsSpan(0, body.Length - 1), out _), Is.False);
    }
}
