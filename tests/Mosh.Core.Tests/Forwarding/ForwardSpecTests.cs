using Mosh.Forwarding;

namespace Mosh.Tests.Forwarding;

[TestFixture]
public class ForwardSpecTests
{
    [TestCase("8080:localhost:80", "127.0.0.1", 8080, "localhost", 80)]
    [TestCase("0.0.0.0:8080:db:5432", "0.0.0.0", 8080, "db", 5432)]
    [TestCase("*:8080:db:5432", "0.0.0.0", 8080, "db", 5432)]
    [TestCase("[::1]:8080:[2001:db8::1]:22", "::1", 8080, "2001:db8::1", 22)]
    public void Specs_parse_with_ssh_meaning(string text, string bind, int port, string host, int hostPort)
    {
        Assert.That(ForwardSpec.TryParse(text, out ForwardSpec? spec, out _), Is.True);
        Assert.That(spec, Is.EqualTo(new ForwardSpec(bind, port, host, hostPort)));
    }

    [TestCase("8080")]
    [TestCase("8080:host")]
    [TestCase("x:host:80")]
    [TestCase("8080:host:0")]
    [TestCase("8080:host:65536")]
    [TestCase("8080::80")]
    [TestCase("a:b:c:d:e")]
    [TestCase("[::1:8080:h:1")]
    public void Bad_specs_are_refused_with_a_message(string text)
    {
        Assert.That(ForwardSpec.TryParse(text, out _, out string error), Is.False);
        Assert.That(error, Does.Contain(text));
    }

    [Test]
    public void An_ipv6_target_keeps_its_brackets_in_the_open_frame()
    {
        Assert.That(new ForwardSpec("127.0.0.1", 1, "::1", 22).Target, Is.EqualTo("[::1]:22"));
        Assert.That(ForwardSpec.TryParseTarget("[::1]:22", out string host, out int port), Is.True);
        Assert.That((host, port), Is.EqualTo(("::1", 22)));
    }
}
