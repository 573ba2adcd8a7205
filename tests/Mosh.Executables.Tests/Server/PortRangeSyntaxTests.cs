using Mosh.Network;
using Mosh.Server;

namespace Mosh.Tests.Server;

[TestFixture]
public class PortRangeSyntaxTests
{
    [Test]
    public void PortRangeParsingFollowsUpstream()
    {
        Assert.That(PortRangeSyntax.TryParse("60010", out PortRange single, out _), Is.True);
        Assert.That(single, Is.EqualTo(new PortRange(60010, 60010)));
        Assert.That(PortRangeSyntax.TryParse("1000:2000", out PortRange range, out _), Is.True);
        Assert.That(range, Is.EqualTo(new PortRange(1000, 2000)));
        Assert.That(PortRangeSyntax.TryParse("0", out PortRange any, out _), Is.True);
        Assert.That(any, Is.EqualTo(new PortRange(0, 0)));

        Assert.That(PortRangeSyntax.TryParse("70000", out _, out string? error), Is.False);
        Assert.That(error, Is.EqualTo("(Low) port number 70000 outside valid range [0..65535]"));
        Assert.That(PortRangeSyntax.TryParse("2000:1000", out _, out error), Is.False);
        Assert.That(error, Is.EqualTo("Low port 2000 greater than high port 1000"));
        Assert.That(PortRangeSyntax.TryParse("0:10", out _, out error), Is.False);
        Assert.That(error, Is.EqualTo("Low port 0 incompatible with port ranges"));
        Assert.That(PortRangeSyntax.TryParse("abc", out _, out error), Is.False);
        Assert.That(error, Is.EqualTo("Invalid (low) port number (abc)"));
        Assert.That(PortRangeSyntax.TryParse("1:x", out _, out error), Is.False);
        Assert.That(error, Is.EqualTo("Invalid high port number (x)"));
    }
}
