namespace Mosh.EndToEnd.Packaging;

/// <summary>
/// The bash completion for mosh, loaded into a plain bash with minimal stand-ins for the bash-completion
/// library's helpers (the library itself is not needed to check what _mosh offers).
/// </summary>
public class BashCompletionTests
{
    private const string Stubs = """
        _init_completion() { cur=${COMP_WORDS[COMP_CWORD]}; prev=${COMP_WORDS[COMP_CWORD-1]}; words=("${COMP_WORDS[@]}"); cword=$COMP_CWORD; split=false; }
        _known_hosts_real() { COMPREPLY=(HOSTS); }
        _filedir() { COMPREPLY=(FILES); }
        _command() { COMPREPLY=(COMMANDS); }
        _command_offset() { COMPREPLY=("COMMAND-AT-$1"); }
        compopt() { :; }
        """;

    private static string Complete(params string[] words)
    {
        string script = Path.Combine(Tool.RepositoryRoot, "packaging", "bash-completion", "mosh");
        string quoted = string.Join(' ', words.Select(w => "'" + w + "'"));
        string program = $"{Stubs}\nsource '{script}'\nCOMP_WORDS=({quoted}); COMP_CWORD={words.Length - 1}\n_mosh\necho \"${{COMPREPLY[*]}}\"\n";
        return Tool.Run("bash", "-c", program).Succeeded("bash").StandardOutput.Trim();
    }

    [Test]
    public void Completes_option_values() =>
        Assert.Multiple(() =>
        {
            Assert.That(Complete("mosh", "--predict", "a"), Is.EqualTo("adaptive always"));
            Assert.That(Complete("mosh", "--family", "prefer"), Is.EqualTo("prefer-inet prefer-inet6"));
            Assert.That(Complete("mosh", "--experimental-remote-ip", ""), Is.EqualTo("proxy local remote"));
            Assert.That(Complete("mosh", "--bind-server", ""), Is.EqualTo("ssh any"));
        });

    [Test]
    public void Completes_options_hosts_then_the_remote_command()
    {
        Assert.That(Complete("mosh", "--no-i").Split(' '), Is.EqualTo(new[] { "--no-init" }));
        Assert.That(Complete("mosh", "-4", ""), Is.EqualTo("HOSTS"));
        Assert.That(Complete("mosh", "--ssh", "ssh -p 2", "user@host", "t"), Is.EqualTo("COMMAND-AT-4"));
    }

    [Test]
    public void Completes_list_and_attach_then_a_host_and_nothing_after_it()
    {
        Assert.That(Complete("mosh", "--li"), Is.EqualTo("--list"));
        Assert.That(Complete("mosh", "--att"), Is.EqualTo("--attach --attach="));
        Assert.That(Complete("mosh", "--attach", ""), Is.EqualTo("HOSTS"));
        Assert.That(Complete("mosh", "--list", "user@host", ""), Is.Empty);
        Assert.That(Complete("mosh", "--attach=42", "user@host", "t"), Is.Empty);
    }

    [Test]
    public void Completes_forwarding_options_and_skips_a_forward_spec_when_finding_the_host()
    {
        Assert.That(Complete("mosh", "--fo"), Is.EqualTo("--forward-agent"));
        Assert.That(Complete("mosh", "-R", ""), Is.Empty, "a spec is not completed");
        Assert.That(Complete("mosh", "-R", "9000:localhost:80", "-A", ""), Is.EqualTo("HOSTS"));
        Assert.That(Complete("mosh", "-R", "9000:localhost:80", "user@host", "t"), Is.EqualTo("COMMAND-AT-4"));
    }
}
