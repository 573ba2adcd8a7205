using Mosh.Util;

namespace Mosh.Tests.Util;

[TestFixture]
public class OsRandomTests
{
    [Test]
    public void FillsEveryByteOfBuffersOfManyLengths()
    {
        foreach (int length in new[] { 0, 1, 16, 255, 256, 4096, 70000 })
        {
            byte[] a = new byte[length];
            byte[] b = new byte[length];
            OsRandom.Fill(a);
            OsRandom.Fill(b);
            if (length >= 16)
            {
                Assert.That(a, Is.Not.EqualTo(b), $"two {length}-byte draws were identical");
            }

            if (length >= 4096)
            {
                // Every byte value turns up in a few kilobytes of real randomness; a short fill would leave zeros.
                Assert.That(a.Distinct().Count(), Is.EqualTo(256));
                Assert.That(a.AsSpan(length - 64).ToArray(), Has.Some.Not.Zero);
            }
        }
    }
}
