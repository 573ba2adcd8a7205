using System.Net;
using Mosh.Util;

namespace Mosh.Tests.Util;

[TestFixture]
public class NumericHostTests
{
    [TestCase("192.0.2.7", "192.0.2.7")]
    [TestCase("2001:db8:0:0:0:0:0:1", "2001:db8::1")]
    [TestCase("::ffff:10.1.2.3", "::ffff:10.1.2.3")]
    public void Unscoped_addresses_read_as_inet_ntop_writes_them(string address, string expected) =>
        Assert.That(NumericHost.Format(IPAddress.Parse(address)), Is.EqualTo(expected));

    [Test]
    public void A_link_local_scope_is_the_interfaces_name_as_getnameinfo_writes_it()
    {
        // Interface 1 is the loopback interface, "lo", on Linux.
        Assert.That(NumericHost.Format(IPAddress.Parse("fe80::1%1")), Is.EqualTo("fe80::1%lo"));
        Assert.That(NumericHost.Format(IPAddress.Parse("ff02::1%1")), Is.EqualTo("ff02::1%lo"));
    }

    [Test]
    public void Other_scopes_and_unknown_interfaces_stay_numeric()
    {
        Assert.That(NumericHost.Format(IPAddress.Parse("fe80::1%999999")), Is.EqualTo("fe80::1%999999"));
        Assert.That(NumericHost.Format(IPAddress.Parse("2001:db8::1%1")), Is.EqualTo("2001:db8::1%1"));
    }
}
