using System.Net;
using Mosh.Wrapper;

namespace Mosh.Tests.Wrapper;

public class AddressResolverTests
{
    private static readonly List<IPAddress> Mixed =
        [IPAddress.Parse("2001:db8::1"), IPAddress.Parse("192.0.2.1"), IPAddress.Parse("2001:db8::2"), IPAddress.Parse("192.0.2.2")];

    private static string[] Order(AddressFamilyChoice family) =>
        AddressResolver.Order([.. Mixed], family, "mosh").Select(a => a.ToString()).ToArray();

    [Test]
    public void Single_family_choices_filter() =>
        Assert.Multiple(() =>
        {
            Assert.That(Order(AddressFamilyChoice.Inet), Is.EqualTo(new[] { "192.0.2.1", "192.0.2.2" }));
            Assert.That(Order(AddressFamilyChoice.Inet6), Is.EqualTo(new[] { "2001:db8::1", "2001:db8::2" }));
        });

    [Test]
    public void Prefer_choices_reorder_keeping_the_resolver_order_within_a_family() =>
        Assert.Multiple(() =>
        {
            Assert.That(Order(AddressFamilyChoice.PreferInet), Is.EqualTo(new[] { "192.0.2.1", "192.0.2.2", "2001:db8::1", "2001:db8::2" }));
            Assert.That(Order(AddressFamilyChoice.PreferInet6), Is.EqualTo(new[] { "2001:db8::1", "2001:db8::2", "192.0.2.1", "192.0.2.2" }));
            Assert.That(Order(AddressFamilyChoice.All), Is.EqualTo(Mixed.Select(a => a.ToString())));
        });

    [Test]
    public void Auto_refuses_a_host_with_both_families_but_takes_a_single_family_host()
    {
        var e = Assert.Throws<AddressResolver.ResolveException>(() => Order(AddressFamilyChoice.Auto));
        Assert.That(e!.Message, Is.EqualTo("mosh: host has both IPv4 and IPv6 addresses, use --family to specify behavior"));
        Assert.That(AddressResolver.Order([IPAddress.Loopback], AddressFamilyChoice.Auto, "mosh"), Has.Count.EqualTo(1));
    }

    [Test]
    public void Numeric_hosts_are_used_without_a_lookup_and_unknown_names_are_reported()
    {
        Assert.That(AddressResolver.Resolve("192.0.2.5", AddressFamilyChoice.PreferInet, "mosh").Single().ToString(), Is.EqualTo("192.0.2.5"));
        Assert.That(AddressResolver.Resolve("192.0.2.5", AddressFamilyChoice.Inet6, "mosh"), Is.Empty);
        var e = Assert.Throws<AddressResolver.ResolveException>(() => AddressResolver.Resolve("no-such-host.invalid", AddressFamilyChoice.All, "mosh"));
        Assert.That(e!.Message, Does.StartWith("mosh: could not get canonical name for no-such-host.invalid: "));
    }
}
