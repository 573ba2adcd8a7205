using Mosh.Wrapper;

namespace Mosh.Tests.Wrapper;

public class ShellWordsTests
{
    [TestCase("ssh", new[] { "ssh" })]
    [TestCase("  ssh   -p 2222 ", new[] { "ssh", "-p", "2222" })]
    [TestCase("ssh -o 'ProxyJump a b' -i \"my key\"", new[] { "ssh", "-o", "ProxyJump a b", "-i", "my key" })]
    [TestCase(@"ssh -i my\ key", new[] { "ssh", "-i", "my key" })]
    [TestCase(@"a""b\""c\$d\x""e", new[] { @"ab""c$d\xe" })]
    [TestCase(@"'it'\''s'", new[] { "it's" })]
    [TestCase("''", new[] { "" })]
    [TestCase("a'$HOME'", new[] { "a$HOME" })]
    public void Splits_like_a_posix_shell(string text, string[] words) =>
        Assert.That(ShellWords.Split(text), Is.EqualTo(words));

    [TestCase("ssh 'open")]
    [TestCase("ssh \"open")]
    [TestCase("ssh trailing\\")]
    public void Unbalanced_quotes_are_refused(string text) => Assert.That(ShellWords.Split(text), Is.Null);

    [TestCase("plain")]
    [TestCase("it's")]
    [TestCase("a b\t$c `d` \"e\" \\f")]
    [TestCase("")]
    public void Quoting_round_trips_through_the_splitter(string word) =>
        Assert.That(ShellWords.Split(ShellWords.Quote(word)), Is.EqualTo(new[] { word }));

    [Test]
    public void Quoting_round_trips_through_a_real_shell()
    {
        string word = "it's a \"test\" $HOME `x` \\n";
        using var sh = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("/bin/sh", ["-c", "printf %s " + ShellWords.Quote(word)])
        {
            RedirectStandardOutput = true,
        })!;
        string output = sh.StandardOutput.ReadToEnd();
        sh.WaitForExit();
        Assert.That(output, Is.EqualTo(word));
    }
}
