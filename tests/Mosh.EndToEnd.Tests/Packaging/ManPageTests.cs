using System.Diagnostics;
using Mosh.EndToEnd.Wrapper;

namespace Mosh.EndToEnd.Packaging;

public class ManPageTests
{
    private static string Page(string name) => ExecutableCommandLineTests.RepositoryFile(Path.Combine("man", name));

    private static (int ExitCode, string Output, string Errors) Render(string path, bool hyphenate = true)
    {
        var psi = new ProcessStartInfo("man", ["--warnings", "-l", path])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        psi.Environment["MANWIDTH"] = "80";
        psi.Environment["LC_ALL"] = "C.UTF-8";
        psi.Environment["MANPAGER"] = "cat";
        psi.Environment["PAGER"] = "cat";
        if (!hyphenate)
        {
            psi.Environment["MANROFFOPT"] = "-rHY=0";
        }
        using var man = Process.Start(psi)!;
        Task<string> output = man.StandardOutput.ReadToEndAsync();
        string errors = man.StandardError.ReadToEnd();
        man.WaitForExit();
        return (man.ExitCode, output.Result, errors);
    }

    [TestCase("mosh.1")]
    [TestCase("mosh-client.1")]
    [TestCase("mosh-server.1")]
    public void Page_renders_without_any_warning(string name)
    {
        var (exitCode, output, errors) = Render(Page(name));
        Assert.That(errors, Is.Empty);
        Assert.That(exitCode, Is.EqualTo(0));
        Assert.That(output, Does.Contain("NAME").And.Contain("SYNOPSIS"));
    }

    [TestCase("mosh.1", new[] { "--client=", "--server=", "--predict=", "adaptive", "always", "never", "experimental", "-a", "-n",
        "-o, --predict-overwrite", "--family=", "inet6", "auto", "prefer-inet", "prefer-inet6", "-4", "-6", "-p port[:port2], --port=",
        "--bind-server=", "--ssh=", "--no-ssh-pty", "--no-init", "--local", "--experimental-remote-ip=", "proxy", "remote",
        "--help", "--version", "--fake-proxy", "--list", "--attach[=pid]", "-L [bind_address:]port:host:hostport",
        "-R [bind_address:]port:host:hostport", "-A, --forward-agent", "SSH_AUTH_SOCK",
        "MOSH_PREDICTION_DISPLAY", "MOSH_PREDICTION_OVERWRITE", "MOSH_ESCAPE_KEY", "MOSH_TITLE_NOPREFIX", "MOSH_NO_TERM_INIT",
        "MOSH_KEY", "MOSH_CLIENT_PID", "MOSH_SERVER_NETWORK_TMOUT", "MOSH_SERVER_SIGNAL_TMOUT", "LC_ALL" })]
    [TestCase("mosh-client.1", new[] { "-# args", "-v", "-L [bind_address:]port:host:hostport", "-R [bind_address:]port:host:hostport", "-A", "-c", "--help", "--version", "MOSH_KEY", "MOSH_PREDICTION_DISPLAY",
        "MOSH_PREDICTION_OVERWRITE", "MOSH_ESCAPE_KEY", "MOSH_TITLE_NOPREFIX", "MOSH_NO_TERM_INIT", "TERM" })]
    [TestCase("mosh-server.1", new[] { "new", "-s", "-v", "-i address", "-p port[:port2]", "-c colours", "-l name=value", "-@ word",
        "-H lines", "-A", "SSH_AUTH_SOCK", "MOSH_SERVER_HISTORY", "--help, -h", "--version", "MOSH_SERVER_NETWORK_TMOUT", "MOSH_SERVER_SIGNAL_TMOUT", "SSH_CONNECTION", "MOSH CONNECT",
        "mosh-server list", "mosh-server attach", "mosh-server kill", "XDG_RUNTIME_DIR", "/tmp/mosh-" })]
    public void Page_documents_every_option_and_environment_variable(string name, string[] terms)
    {
        // Without hyphenation no term is broken across lines.
        string text = Render(Page(name), hyphenate: false).Output;
        string flat = string.Join(' ', text.Split('\n', StringSplitOptions.TrimEntries));
        foreach (string term in terms)
        {
            Assert.That(flat, Does.Contain(term), $"{name} should mention {term}");
        }
    }
}
