using Mosh.Client;

namespace Mosh.Tests.Client;

public class ClientOptionsTests
{
    private sealed class FakeEnvironment(Dictionary<string, string> variables)
    {
        public readonly Dictionary<string, string> Variables = variables;
        public string? Take(string name) => Variables.Remove(name, out string? v) ? v : null;
        public string? Get(string name) => Variables.GetValueOrDefault(name);
    }

    private sealed record Parsed(ClientOptions? Options, int ExitStatus, string StandardOutput, string StandardError);

    private static (Parsed Result, FakeEnvironment Env) ParseClient(Dictionary<string, string> variables, params string[] args)
    {
        var env = new FakeEnvironment(variables);
        var r = ClientOptions.Parse(args, "mosh-client", env.Take, env.Get, () => new ColorCountResult(0, "256\n", ""));
        return (new Parsed(r.Options, r.ExitStatus, r.StandardOutput, r.StandardError), env);
    }

    private static Dictionary<string, string> WithKey() => new() { ["MOSH_KEY"] = "AAAAAAAAAAAAAAAAAAAAAA", ["MOSH_PREDICTION_DISPLAY"] = "always" };

    [Test]
    public void Address_port_and_key_are_read_and_the_key_leaves_the_environment()
    {
        var (r, env) = ParseClient(WithKey(), "-#", "host ls |", "-v", "192.0.2.1", "60001");
        Assert.That(r.Options, Is.Not.Null);
        Assert.Multiple(() =>
        {
            Assert.That(r.Options!.ServerAddress, Is.EqualTo("192.0.2.1"));
            Assert.That(r.Options!.Port, Is.EqualTo("60001"));
            Assert.That(r.Options!.Key, Is.EqualTo("AAAAAAAAAAAAAAAAAAAAAA"));
            Assert.That(r.Options!.Verbosity, Is.EqualTo(1));
            Assert.That(r.Options!.PredictionDisplay, Is.EqualTo("always"));
            Assert.That(env.Variables.ContainsKey("MOSH_KEY"), Is.False);
        });
    }

    [Test]
    public void Forwarding_options_are_read_in_order_and_a_bad_spec_is_refused()
    {
        var (r, _) = ParseClient(WithKey(), "-L", "8080:db:5432", "-R", "9000:localhost:80", "-R", "0.0.0.0:9001:h:81", "-A", "192.0.2.1", "60001");
        Assert.Multiple(() =>
        {
            Assert.That(r.Options!.Forwards.Select(f => f.Port), Is.EqualTo(new[] { 8080 }));
            Assert.That(r.Options!.RemoteForwards, Is.EqualTo(new[]
            {
                new Mosh.Forwarding.ForwardSpec("127.0.0.1", 9000, "localhost", 80),
                new Mosh.Forwarding.ForwardSpec("0.0.0.0", 9001, "h", 81),
            }));
            Assert.That(r.Options!.ForwardAgent, Is.True);
            Assert.That(ParseClient(WithKey(), "192.0.2.1", "60001").Result.Options!.ForwardAgent, Is.False);
        });
        var (bad, _) = ParseClient(WithKey(), "-R", "9000", "192.0.2.1", "60001");
        Assert.That(bad.ExitStatus, Is.EqualTo(1));
        Assert.That(bad.StandardError, Is.EqualTo("mosh-client: bad forwarding specification '9000' (want [bind_address:]port:host:hostport)\n"));
    }

    [Test]
    public void Missing_key_is_an_error_with_upstreams_message()
    {
        var (r, _) = ParseClient([], "192.0.2.1", "60001");
        Assert.That(r.ExitStatus, Is.EqualTo(1));
        Assert.That(r.StandardError, Is.EqualTo("MOSH_KEY environment variable not found.\n"));
    }

    [TestCase("60001x")]
    [TestCase("-1")]
    [TestCase("6 0")]
    public void Port_must_be_all_digits(string port)
    {
        var (r, env) = ParseClient(WithKey(), "192.0.2.1", "--", port);
        Assert.That(r.ExitStatus, Is.EqualTo(1));
        Assert.That(r.StandardError, Does.StartWith($"mosh-client: Bad UDP port ({port})\n\nmosh-client (Mosh for .NET)"));
        Assert.That(env.Variables.ContainsKey("MOSH_KEY"), Is.True, "the key is only taken once the command line is good");
    }

    [Test]
    public void Dash_c_prints_the_colour_count_and_exits()
    {
        var (r, _) = ParseClient([], "-c");
        Assert.That(r.Options, Is.Null);
        Assert.That(r.ExitStatus, Is.EqualTo(0));
        Assert.That(r.StandardOutput, Is.EqualTo("256\n"));
    }

    [Test]
    public void Wrong_operand_count_or_unknown_option_prints_usage_and_fails()
    {
        Assert.That(ParseClient(WithKey(), "192.0.2.1").Result.ExitStatus, Is.EqualTo(1));
        var (r, _) = ParseClient(WithKey(), "-z", "192.0.2.1", "1");
        Assert.That(r.ExitStatus, Is.EqualTo(1));
        Assert.That(r.StandardError, Does.StartWith("mosh-client: invalid option -- 'z'\nmosh-client (Mosh for .NET)"));
        Assert.That(r.StandardError, Does.Contain("Usage: mosh-client [-# 'ARGS'] IP PORT\n       mosh-client -c\n"));
    }

    [Test]
    public void Help_goes_to_stdout_with_the_version_banner()
    {
        var (r, _) = ParseClient([], "1.2.3.4", "--help");
        Assert.That(r.ExitStatus, Is.EqualTo(0));
        Assert.That(r.StandardOutput, Does.StartWith("mosh-client (Mosh for .NET)").And.Contain("Usage: mosh-client"));
    }

    [Test]
    public void Colour_count_without_TERM_fails_like_upstream()
    {
        ColorCountResult r = TerminalColors.Query(null, _ => throw new AssertionException("no lookup without TERM"));
        Assert.That(r.ExitStatus, Is.EqualTo(1));
        Assert.That(r.StandardError, Is.EqualTo("TERM environment variable not set.\n"));
    }
}
